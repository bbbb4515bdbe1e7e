package simulate

import (
	"fmt"

	"github.com/scalora/scalora/stages/decision"
)

// Acceptance targets of issue 6, which the predictive policy is held to.
const (
	// AcceptSavedPct is the least instance-hours saved against static, in
	// percent.
	AcceptSavedPct = 30.0
	// AcceptUnderPct is the most steps under-provisioned, in percent.
	AcceptUnderPct = 1.0
)

// Names of the acceptance checks, in Check.Name.
const (
	CheckSaves        = "saves_30pct_instance_hours"
	CheckUnder        = "under_provisioned_at_most_1pct"
	CheckBeatsUnder   = "fewer_under_provisioned_than_reactive"
	CheckCostReactive = "cost_at_most_reactive"
)

// Acceptance says whether the predictive policy met the targets on a
// workload and, for each target missed, why.
type Acceptance struct {
	// Met is true when every check is met.
	Met bool `json:"met"`

	// SavedPct is the predictive policy's instance-hours saved against
	// static, in percent; IdealSavedPct the same for the ideal reference,
	// the most any policy at this target utilisation could save.
	SavedPct      float64 `json:"saved_pct"`
	IdealSavedPct float64 `json:"ideal_saved_pct"`

	// SuddenRisePct is the share of steps, in percent, whose demand exceeds
	// the capacity that the demand of 1 + boot steps earlier needs at the
	// target utilisation: rises that a policy sizing from past demand
	// cannot cover in time, and only a forecast that sees them coming (or
	// more headroom) can.
	SuddenRisePct float64 `json:"sudden_rise_pct"`

	Checks []Check `json:"checks"`
}

// Check is one acceptance target.
type Check struct {
	Name   string `json:"name"`
	Met    bool   `json:"met"`
	Detail string `json:"detail"`
}

// Accept judges the outcomes of a workload. A check that is missed says
// whether the trace makes it impossible: savings beyond the ideal's, or
// more sudden rises than the under-provisioning allowed.
func Accept(static, reactive, predictive, ideal Outcome, demand []float64, g decision.GroupConfig, boot int) Acceptance {
	a := Acceptance{
		SavedPct:      savedPct(static, predictive),
		IdealSavedPct: savedPct(static, ideal),
		SuddenRisePct: suddenRisePct(demand, g, boot),
	}

	a.Checks = []Check{
		checkSaves(a, g),
		checkUnder(a, predictive),
		checkBeats(reactive, predictive),
		checkCost(reactive, predictive),
	}
	a.Met = true
	for _, c := range a.Checks {
		a.Met = a.Met && c.Met
	}
	return a
}

func savedPct(static, o Outcome) float64 {
	if static.InstanceHours == 0 {
		return 0
	}
	return 100 * (1 - o.InstanceHours/static.InstanceHours)
}

func checkSaves(a Acceptance, g decision.GroupConfig) Check {
	c := Check{Name: CheckSaves, Met: a.SavedPct >= AcceptSavedPct}
	switch {
	case c.Met:
		c.Detail = fmt.Sprintf("saved %.1f%% of static's instance-hours (ideal %.1f%%)", a.SavedPct, a.IdealSavedPct)
	case a.IdealSavedPct < AcceptSavedPct:
		c.Detail = fmt.Sprintf("impossible on this trace: saved %.1f%%, but even running exactly what each step "+
			"needs at %s target saves only %.1f%% of %d static instances' instance-hours",
			a.SavedPct, pct(g.TargetUtilization), a.IdealSavedPct, g.Instances)
	default:
		c.Detail = fmt.Sprintf("saved %.1f%%, the ideal %.1f%%: the rest went to forecast peaks, "+
			"the boot lead and the scale-in stabilisation", a.SavedPct, a.IdealSavedPct)
	}
	return c
}

func checkUnder(a Acceptance, p Outcome) Check {
	c := Check{Name: CheckUnder, Met: p.UnderProvisionedPct <= AcceptUnderPct}
	switch {
	case c.Met:
		c.Detail = fmt.Sprintf("%d steps (%.2f%%) under-provisioned", p.UnderProvisionedSteps, p.UnderProvisionedPct)
	case a.SuddenRisePct > AcceptUnderPct:
		c.Detail = fmt.Sprintf("%d steps (%.2f%%) under-provisioned; %.2f%% of steps rise beyond what the demand "+
			"a boot time earlier needs at target, which only a forecast that sees them coming avoids",
			p.UnderProvisionedSteps, p.UnderProvisionedPct, a.SuddenRisePct)
	default:
		c.Detail = fmt.Sprintf("%d steps (%.2f%%) under-provisioned, though only %.2f%% of steps rise suddenly: "+
			"the forecast or the scale-in left too little headroom",
			p.UnderProvisionedSteps, p.UnderProvisionedPct, a.SuddenRisePct)
	}
	return c
}

// checkBeats counts a tie at zero as met: neither policy can do better.
func checkBeats(r, p Outcome) Check {
	c := Check{
		Name: CheckBeatsUnder,
		Met:  p.UnderProvisionedSteps < r.UnderProvisionedSteps || p.UnderProvisionedSteps+r.UnderProvisionedSteps == 0,
	}
	c.Detail = fmt.Sprintf("predictive %d, reactive %d under-provisioned steps", p.UnderProvisionedSteps, r.UnderProvisionedSteps)
	switch {
	case r.UnderProvisionedSteps == 0 && p.UnderProvisionedSteps == 0:
		c.Detail += " (a tie at zero)"
	case !c.Met && r.InstanceHours > p.InstanceHours:
		// The usual reason: the reactive policy keeps instances until
		// utilisation falls below its scale-in threshold, far below target.
		c.Detail += fmt.Sprintf("; reactive ran %.1f%% more instance-hours, headroom that absorbed rises",
			100*(r.InstanceHours/p.InstanceHours-1))
	}
	return c
}

func checkCost(r, p Outcome) Check {
	c := Check{Name: CheckCostReactive, Met: p.CostUSD <= r.CostUSD+1e-9}
	c.Detail = fmt.Sprintf("predictive $%.2f, reactive $%.2f", p.CostUSD, r.CostUSD)
	if !c.Met {
		c.Detail += fmt.Sprintf(" (%.1f%% more)", 100*(p.CostUSD/r.CostUSD-1))
	}
	return c
}

// suddenRisePct is the share of steps i whose demand exceeds
// need(demand[i-1-boot]): the capacity of a policy that sized step i at
// target from the last demand it could act on in time.
func suddenRisePct(demand []float64, g decision.GroupConfig, boot int) float64 {
	lag := 1 + boot
	if len(demand) <= lag {
		return 0
	}
	n := 0
	for i := lag; i < len(demand); i++ {
		if demand[i] > float64(need(demand[i-lag], &g))+demandSlack {
			n++
		}
	}
	return 100 * float64(n) / float64(len(demand))
}

func pct(f float64) string { return fmt.Sprintf("%g%%", f*100) }
