package decision

import (
	"testing"
	"time"

	"github.com/scalora/scalora/schemas"
)

var t0 = time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)

// at returns the start of step i of a 1-minute step grid.
func at(i int) time.Time { return t0.Add(time.Duration(i) * time.Minute) }

// fc builds a ready forecast of host in group "web" for step i.
func fc(host string, i int, values ...float64) schemas.Forecast {
	return schemas.Forecast{
		Host: host, Group: "web", Time: at(i), StepSeconds: 60,
		Values: values, Model: "lstm-v1", Ready: true,
	}
}

// flat returns n copies of v: a forecast that expects no change.
func flat(v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// newWeb returns a Decider whose group "web" is g with defaults applied.
// It waits for no host (WaitSteps -1): a step is decided when a later one
// arrives, which keeps the capacity tests to the point; the wait has tests
// of its own.
func newWeb(t *testing.T, g GroupConfig) *Decider {
	t.Helper()
	d, err := New(Config{Groups: map[string]GroupConfig{"web": g}, WaitSteps: -1})
	if err != nil {
		t.Fatalf("new decider: %v", err)
	}
	return d
}

// step feeds one single-host step of "web" with CPU cpu and a flat forecast
// at cpu, and returns what Observe emitted (the previous step's decision).
func step(t *testing.T, d *Decider, i int, cpu float64) []schemas.Decision {
	t.Helper()
	return d.Observe(fc("h1", i, flat(cpu, 12)...), cpu)
}

// only asserts that exactly one decision came out and returns it.
func only(t *testing.T, out []schemas.Decision) schemas.Decision {
	t.Helper()
	if len(out) != 1 {
		t.Fatalf("got %d decisions, want 1: %+v", len(out), out)
	}
	return out[0]
}

func near(a, b float64) bool {
	d := a - b
	return d < 1e-9 && d > -1e-9
}
