package forecast

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/stages/window"
)

func closed(values []float64, ready bool, reason string) window.Closed {
	return window.Closed{
		Step: schemas.Step{
			Host: "h1", Group: "g1", Time: time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC),
			CPU: values[len(values)-1], Samples: 1,
		},
		Values: values,
		Ready:  ready,
		Reason: reason,
	}
}

func TestStageForecastsFullWindowWithModel(t *testing.T) {
	m := randomModel(t, 8, 12, 1)
	s, err := NewStage(Config{Step: 30 * time.Second}, m)
	if err != nil {
		t.Fatal(err)
	}
	w := randomWindow(rand.New(rand.NewPCG(1, 1)))

	f := s.Forecast(closed(w, true, ""))

	want := make([]float64, 12)
	m.Predict(w, want)
	if f.Model != "lstm-h8-v1+blend" || !f.Ready || f.Reason != "" || f.StepSeconds != 30 ||
		f.Host != "h1" || f.Group != "g1" || !f.Time.Equal(time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC)) {
		t.Errorf("forecast %+v", f)
	}
	for h := range want {
		if f.Values[h] != want[h] {
			t.Fatalf("horizon %d: stage %v, model %v", h+1, f.Values[h], want[h])
		}
	}

	// The record owns its values: the next forecast must not overwrite them.
	before := f.Values[0]
	s.Forecast(closed(randomWindow(rand.New(rand.NewPCG(2, 2))), true, ""))
	if f.Values[0] != before {
		t.Error("a later Forecast changed an earlier record's Values")
	}
}

func TestStageFallsBackToLastValueWithoutFullWindow(t *testing.T) {
	s, err := NewStage(Config{}, randomModel(t, 4, 3, 1))
	if err != nil {
		t.Fatal(err)
	}

	f := s.Forecast(closed([]float64{10, 20, 35}, false, "3 of 24 steps"))

	if f.Ready || f.Model != "last_value" || f.Reason != "3 of 24 steps; forecast by last_value fallback" {
		t.Errorf("forecast %+v", f)
	}
	if f.StepSeconds != 60 {
		t.Errorf("step seconds %d, want the 1-minute default", f.StepSeconds)
	}
	if len(f.Values) != 3 || f.Values[0] != 35 || f.Values[2] != 35 {
		t.Errorf("values %v, want [35 35 35]", f.Values)
	}
}

func TestStageFallsBackWhenReadyWindowHasWrongSize(t *testing.T) {
	s, err := NewStage(Config{}, randomModel(t, 4, 3, 1))
	if err != nil {
		t.Fatal(err)
	}
	f := s.Forecast(closed(make([]float64, 10), true, ""))
	if f.Ready || f.Model != "last_value" || !strings.Contains(f.Reason, "window has 10 steps, model needs 24") {
		t.Errorf("forecast %+v", f)
	}
}

func TestNewStageRejectsBadConfig(t *testing.T) {
	if _, err := NewStage(Config{Step: 1500 * time.Millisecond}, randomModel(t, 4, 3, 1)); err == nil {
		t.Error("accepted a step of 1.5 s")
	}
	if _, err := NewStage(Config{}, nil); err == nil {
		t.Error("accepted a nil model")
	}
}

func TestLastValueRepeatsNewestValue(t *testing.T) {
	out := make([]float64, 4)
	LastValue{H: 3}.Predict([]float64{1, 2, 7}, out)
	if out[0] != 7 || out[1] != 7 || out[2] != 7 || out[3] != 0 {
		t.Errorf("out %v, want [7 7 7 0]", out)
	}
}

// BenchmarkStageForecast forecasts one host step after step, so that its
// blend scores and shifts its pending forecasts each time as it does live.
func BenchmarkStageForecast(b *testing.B) {
	for _, blend := range []string{BlendHost, BlendOff} {
		b.Run("blend="+blend, func(b *testing.B) {
			s, err := NewStage(Config{Blend: blend}, randomModel(b, 32, 12, 1))
			if err != nil {
				b.Fatal(err)
			}
			c := closed(randomWindow(rand.New(rand.NewPCG(1, 1))), true, "")
			b.ReportAllocs()
			for b.Loop() {
				c.Step.Time = c.Step.Time.Add(time.Minute)
				s.Forecast(c)
			}
		})
	}
}
