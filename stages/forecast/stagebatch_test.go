package forecast

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

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
	if got[0].Model != "lstm-h8-v1" || got[1].Model != "last_value" {
		t.Errorf("models %q %q, want the LSTM and the fallback", got[0].Model, got[1].Model)
	}
	if &got[0].Values[0] == &got[2].Values[0] {
		t.Error("two records share Values")
	}
}
