package pipeline

import (
	"testing"
	"time"

	"github.com/scalora/scalora/schemas"
)

// TestAccuracyComparesEachOneStepForecastWithItsStep: the error of a
// step is against the forecast made one step before it; a gap drops the
// pending forecast instead of comparing it with the wrong step.
func TestAccuracyComparesEachOneStepForecastWithItsStep(t *testing.T) {
	a := newAccuracy()
	t0 := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	step := func(n int, cpu float64) schemas.Step {
		return schemas.Step{Host: "h", Group: "g", Time: t0.Add(time.Duration(n) * time.Minute), CPU: cpu}
	}
	fc := func(v float64) schemas.Forecast {
		return schemas.Forecast{StepSeconds: 60, Values: []float64{v, v + 1}, Model: "m"}
	}

	if _, ok := a.observe(step(0, 10), fc(12)); ok {
		t.Fatal("the first step has no earlier forecast to judge")
	}
	e, ok := a.observe(step(1, 15), fc(14))
	want := schemas.ForecastError{Host: "h", Group: "g", Time: t0.Add(time.Minute), Horizon: 1,
		Forecast: 12, Actual: 15, AbsError: 3, Model: "m"}
	if !ok || e != want {
		t.Fatalf("step 1: %+v (ok %v), want %+v", e, ok, want)
	}

	// Step 2 never closes (a gap): step 3 is not judged by the forecast
	// made for step 2.
	if _, ok := a.observe(step(3, 50), fc(40)); ok {
		t.Fatal("step 3 was judged by the forecast for step 2")
	}
	if e, ok := a.observe(step(4, 41), fc(41)); !ok || e.AbsError != 1 || e.Forecast != 40 {
		t.Fatalf("step 4: %+v (ok %v), want the forecast 40 made at step 3, error 1", e, ok)
	}
}
