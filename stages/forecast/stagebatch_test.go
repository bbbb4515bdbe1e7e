package forecast

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/stages/window"
)

func TestStageForecastBatchMatchesForecast(t *testing.T) {
	m := randomModel(t, 8, 12, 1)
	s, err := NewStage(Config{Step: time.Minute}, m)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 3))
	cs := []window.Closed{
		closed(randomWindow(rng), true, ""),
		closed([]float64{4, 5}, false, "2 of 24 steps"), // fallback in the middle
		closed(randomWindow(rng), true, ""),
		closed(randomWindow(rng)[:10], true, ""), // ready but the wrong size
	}

	got := s.ForecastBatch(cs)
	if len(got) != len(cs) {
		t.Fatalf("%d records for %d windows", len(got), len(cs))
	}
	for i, c := range cs {
		want := s.Forecast(c)
		g := got[i]
		if g.Model != want.Model || g.Ready != want.Ready || g.Reason != want.Reason || g.Host != want.Host {
			t.Errorf("window %d: batch %+v, single %+v", i, g, want)
		}
		for h := range want.Values {
			if math.Abs(g.Values[h]-want.Values[h]) > 1e-10 {
				t.Fatalf("window %d h%d: batch %v, single %v", i, h+1, g.Values[h], want.Values[h])
			}
		}
	}
	if got[0].Model != "lstm-h8-v1+blend" || got[1].Model != "last_value" {
		t.Errorf("models %q %q, want the LSTM and the fallback", got[0].Model, got[1].Model)
	}
	if &got[0].Values[0] == &got[2].Values[0] {
		t.Error("two records share Values")
	}
}

// readyWindows returns n ready windows of distinct hosts.
func readyWindows(n int, seed uint64) []window.Closed {
	rng := rand.New(rand.NewPCG(seed, seed))
	cs := make([]window.Closed, n)
	for i := range cs {
		cs[i] = closed(randomWindow(rng), true, "")
	}
	return cs
}

func TestStageForecastBatchIntoReusesRecords(t *testing.T) {
	s, err := NewStage(Config{}, randomModel(t, 32, 12, 1))
	if err != nil {
		t.Fatal(err)
	}
	cs := readyWindows(16, 4)
	want := s.ForecastBatch(cs)

	var dst []schemas.Forecast
	dst = s.ForecastBatchInto(dst, cs[:4]) // grows from nothing
	dst = s.ForecastBatchInto(dst, cs)     // grows again
	first := &dst[0].Values[0]
	dst = s.ForecastBatchInto(dst, cs)
	if &dst[0].Values[0] != first {
		t.Error("the second call did not reuse the records' Values")
	}
	for i := range cs {
		for h := range want[i].Values {
			if dst[i].Values[h] != want[i].Values[h] || dst[i].Model != want[i].Model || !dst[i].Ready {
				t.Fatalf("record %d: %+v, want %+v", i, dst[i], want[i])
			}
		}
	}

	if n := testing.AllocsPerRun(20, func() { dst = s.ForecastBatchInto(dst, cs) }); n != 0 {
		t.Errorf("ForecastBatchInto allocates %v times per call in steady state", n)
	}
}

// BenchmarkStageForecastBatch64 forecasts 64 ready hosts per tick through
// ForecastBatchInto, reusing the previous tick's records; each tick is the
// hosts' next step, so that their blends work as they do live.
func BenchmarkStageForecastBatch64(b *testing.B) {
	s, err := NewStage(Config{}, randomModel(b, 32, 12, 1))
	if err != nil {
		b.Fatal(err)
	}
	cs := readyWindows(64, 1)
	for i := range cs {
		cs[i].Step.Host = fmt.Sprintf("h%d", i)
	}
	dst := s.ForecastBatchInto(nil, cs)
	b.ReportAllocs()
	cpu := startCPUTimer(b)
	for b.Loop() {
		for i := range cs {
			cs[i].Step.Time = cs[i].Step.Time.Add(time.Minute)
		}
		dst = s.ForecastBatchInto(dst, cs)
	}
	cpu.stop(len(cs), "forecast")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(cs)), "ns/forecast")
}
