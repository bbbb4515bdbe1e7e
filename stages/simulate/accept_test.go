package simulate

import (
	"strings"
	"testing"
	"time"

	"github.com/scalora/scalora/stages/decision"
)

// A flat trace at 50 % of 10 instances needs 9 at 60 % at every step: even
// the ideal saves only 10 %, so the savings target is impossible, and the
// check says so instead of blaming the forecast.
func TestAcceptSaysWhyAFlatTraceCannotSave30Percent(t *testing.T) {
	g := group(decision.GroupConfig{})
	w := workload(repeat(50, 12)...)
	d := demands(w, 10)
	step := 5 * time.Minute

	static := Measure(PolicyStatic, Static(12, 10), d, 0.6, 0.1, step)
	run := Ideal(d, g)
	ideal := Measure(PolicyIdeal, run, d, 0.6, 0.1, step)
	a := Accept(Judged{
		Static: static, Reactive: static, Predictive: ideal, Ideal: ideal, Oracle: ideal, Lagged: ideal,
		Demand: d, ReactiveRun: Static(12, 10), PredictiveRun: run, Group: g, Boot: 1,
	})

	if !near(a.IdealSavedPct, 10) || !near(a.SavedPct, 10) || a.Met {
		t.Fatalf("acceptance %+v, want 10 %% saved, not met", a)
	}
	c := a.Checks[0]
	if c.Name != CheckSaves || c.Met || c.Cause != CauseIdealBound || !strings.Contains(c.Detail, "impossible on this trace") {
		t.Fatalf("savings check %+v", c)
	}
	for _, c := range a.Checks[1:] {
		if !c.Met {
			t.Errorf("check %s missed: %s", c.Name, c.Detail)
		}
	}
}

// Worked example of sudden rises with a 1-step boot (lag 2): demand 1 needs
// 2 instances at 60 %; a jump to 3 two steps later exceeds them. Steps 2
// and 3 (3 > need(1) = 2) are sudden; step 4 (3 vs need(3) = 5) is not:
// 2 of 5 steps, 40 %.
func TestSuddenRisesCountJumpsBeyondTheHeadroomOfBootTime(t *testing.T) {
	g := group(decision.GroupConfig{})
	if got := suddenRisePct([]float64{1, 1, 3, 3, 3}, g, 1); !near(got, 40) {
		t.Fatalf("sudden rises %g %%, want 40", got)
	}
}

// Ties at zero under-provisioned steps count as beating the reactive
// policy; a tie above zero does not, and says how many of the steps were
// the same.
func TestBeatsReactiveOnlyWithFewerStepsOrATieAtZero(t *testing.T) {
	beats := func(reactive, predictive []int) Check {
		d := []float64{3, 1, 3}
		m := func(run []int) Outcome { return Measure(PolicyReactive, run, d, 0.6, 0.1, time.Hour) }
		return checkBeats(Judged{
			Reactive: m(reactive), Predictive: m(predictive),
			Demand: d, ReactiveRun: reactive, PredictiveRun: predictive,
		}, Acceptance{})
	}
	if c := beats([]int{5, 5, 5}, []int{5, 2, 5}); !c.Met || c.Cause != "" || !strings.Contains(c.Detail, "tie at zero") {
		t.Fatalf("tie at zero: %+v", c)
	}
	// Both short at step 0 only: a tie on the same step.
	if c := beats([]int{2, 2, 5}, []int{2, 1, 3}); c.Met || c.Cause != CauseTie || !strings.Contains(c.Detail, "short on 1 of the same steps") {
		t.Fatalf("tie at 1: %+v", c)
	}
	if c := beats([]int{2, 2, 2}, []int{2, 2, 3}); !c.Met || c.Cause != "" {
		t.Fatalf("1 against 2: %+v", c)
	}
	// Reactive short once with 6 instance-hours, predictive twice with 5.
	if c := beats([]int{3, 1, 2}, []int{2, 1, 2}); c.Met || c.Cause != CauseReactiveHeadroom {
		t.Fatalf("2 against 1 with less headroom: %+v", c)
	}
	// Reactive short once with 5 instance-hours, predictive twice with 6.
	if c := beats([]int{3, 1, 1}, []int{2, 2, 2}); c.Met || c.Cause != CauseForecast {
		t.Fatalf("2 against 1 at equal cost: %+v", c)
	}
}
