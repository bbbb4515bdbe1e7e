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
	ideal := Measure(PolicyIdeal, Ideal(d, g), d, 0.6, 0.1, step)
	a := Accept(static, static, ideal, ideal, d, g, 1)

	if !near(a.IdealSavedPct, 10) || !near(a.SavedPct, 10) || a.Met {
		t.Fatalf("acceptance %+v, want 10 %% saved, not met", a)
	}
	c := a.Checks[0]
	if c.Name != CheckSaves || c.Met || !strings.Contains(c.Detail, "impossible on this trace") {
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
// policy; a tie above zero does not.
func TestBeatsReactiveOnlyWithFewerStepsOrATieAtZero(t *testing.T) {
	if c := checkBeats(Outcome{}, Outcome{}); !c.Met || !strings.Contains(c.Detail, "tie at zero") {
		t.Fatalf("tie at zero: %+v", c)
	}
	if c := checkBeats(Outcome{UnderProvisionedSteps: 1}, Outcome{UnderProvisionedSteps: 1}); c.Met {
		t.Fatalf("tie at 1: %+v", c)
	}
	if c := checkBeats(Outcome{UnderProvisionedSteps: 3}, Outcome{UnderProvisionedSteps: 1}); !c.Met {
		t.Fatalf("1 against 3: %+v", c)
	}
}
