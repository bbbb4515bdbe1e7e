package simulate

import (
	"fmt"

	"github.com/scalora/scalora/stages/decision"
)

// Causes of a missed check, in Check.Cause. Each follows from the numbers
// of the Acceptance and the outcomes, as written on it; a test recomputes
// them.
const (
	// CauseIdealBound: even the ideal reference, which runs exactly what
	// each step needs at the target utilisation, saves less than
	// AcceptSavedPct (IdealSavedPct < 30): no policy at that target can.
	CauseIdealBound = "ideal_bound"

	// CauseRulesBound: the decision rules run with a perfect forecast (the
	// Oracle) miss the target too (OracleSavedPct < 30 for savings, Oracle
	// cost above reactive for cost): the boot-time lead, the stabilisation
	// window and the step limit cost more than the target allows on this
	// trace, whatever the forecast.
	CauseRulesBound = "rules_bound"

	// CauseUnforeseenRises: the trace rises beyond the target's headroom
	// within a boot time so often that sizing from past demand needs a
	// reserve which leaves less than AcceptSavedPct saved (LaggedSavedPct <
	// 30): meeting both targets takes a forecast that foresees those rises,
	// and Scalora's did not see enough of them. The decision stage's own
	// reserve for forecast misses adapts over time and is kept only on
	// scale-in, so it can cover the same rises for less than Lagged's fixed
	// one; the cause says the trace is hard without foresight, not that
	// no reserve could do it.
	CauseUnforeseenRises = "unforeseen_rises"

	// CauseReactiveHeadroom: the reactive policy under-provisioned fewer
	// steps because it ran more instance-hours (it keeps instances until
	// utilisation falls below its scale-in threshold).
	CauseReactiveHeadroom = "reactive_headroom"

	// CauseReactiveUnder: the reactive policy is cheaper only because it
	// under-provisioned more steps than the predictive one.
	CauseReactiveUnder = "reactive_underprovisions"

	// CauseTie: both policies under-provisioned the same number of steps,
	// more than zero.
	CauseTie = "tie"

	// CauseForecast: none of the above: the bounds allow the target, and
	// the forecast (or its use by the decision rules) missed it.
	CauseForecast = "forecast"
)

func checkSaves(a Acceptance, g decision.GroupConfig) Check {
	c := Check{Name: CheckSaves, Met: a.SavedPct >= AcceptSavedPct}
	switch {
	case c.Met:
		c.Detail = fmt.Sprintf("saved %.1f%% of static's instance-hours (ideal %.1f%%, perfect forecast %.1f%%)",
			a.SavedPct, a.IdealSavedPct, a.OracleSavedPct)
	case a.IdealSavedPct < AcceptSavedPct:
		c.Cause = CauseIdealBound
		c.Detail = fmt.Sprintf("impossible on this trace: saved %.1f%%, but even running exactly what each step "+
			"needs at %s target saves only %.1f%% of %d static instances' instance-hours",
			a.SavedPct, pct(g.TargetUtilization), a.IdealSavedPct, g.Instances)
	case a.OracleSavedPct < AcceptSavedPct:
		c.Cause = CauseRulesBound
		c.Detail = fmt.Sprintf("out of reach with this group's rules: saved %.1f%%; the ideal saves %.1f%%, but a "+
			"perfect forecast through the same rules (%s boot lead, %s scale-in stabilisation, at most %d removed a "+
			"step) covers every step and saves only %.1f%%",
			a.SavedPct, a.IdealSavedPct, shortDur(g.BootTime), shortDur(g.ScaleInStabilization),
			g.MaxScaleInStep, a.OracleSavedPct)
	default:
		c.Cause = CauseForecast
		c.Detail = fmt.Sprintf("saved %.1f%%, where a perfect forecast through the same rules saves %.1f%% "+
			"(ideal %.1f%%): the forecast's errors, the reserve for misses they size, and the scale-outs its "+
			"current-demand floor ordered after rises that had passed, cost the rest", a.SavedPct, a.OracleSavedPct, a.IdealSavedPct)
	}
	return c
}

func checkUnder(a Acceptance, p Outcome) Check {
	c := Check{Name: CheckUnder, Met: p.UnderProvisionedPct <= AcceptUnderPct}
	head := fmt.Sprintf("%d steps (%.2f%%) under-provisioned", p.UnderProvisionedSteps, p.UnderProvisionedPct)
	if c.Met {
		c.Detail = head
		return c
	}
	rises := fmt.Sprintf("the trace rises beyond the target's headroom within a boot time at %.2f%% of steps, "+
		"and the forecast covered %d of those %d steps", a.SuddenRisePct, a.SuddenSteps-a.SuddenUnderSteps, a.SuddenSteps)
	if a.LaggedSavedPct < AcceptSavedPct {
		c.Cause = CauseUnforeseenRises
		c.Detail = fmt.Sprintf("%s, %s; sizing from the demand a boot time earlier needs %d more instances at every "+
			"step to stay within %g%%, which saves only %.1f%%: meeting both targets takes a forecast that sees "+
			"these rises coming", head, rises, a.LaggedReserve, AcceptUnderPct, a.LaggedSavedPct)
		return c
	}
	c.Cause = CauseForecast
	c.Detail = fmt.Sprintf("%s, %s; sizing from the demand a boot time earlier plus %d instances stays within %g%% "+
		"and saves %.1f%%, so the target is within reach: the forecast missed rises, or a scale-in came too early",
		head, rises, a.LaggedReserve, AcceptUnderPct, a.LaggedSavedPct)
	return c
}

// checkBeats counts a tie at zero as met: neither policy can do better.
func checkBeats(j Judged, a Acceptance) Check {
	r, p := j.Reactive, j.Predictive
	c := Check{
		Name: CheckBeatsUnder,
		Met:  p.UnderProvisionedSteps < r.UnderProvisionedSteps || p.UnderProvisionedSteps+r.UnderProvisionedSteps == 0,
	}
	c.Detail = fmt.Sprintf("predictive %d, reactive %d under-provisioned steps", p.UnderProvisionedSteps, r.UnderProvisionedSteps)
	switch {
	case r.UnderProvisionedSteps == 0 && p.UnderProvisionedSteps == 0:
		c.Detail += " (a tie at zero)"
	case c.Met:
	case p.UnderProvisionedSteps == r.UnderProvisionedSteps:
		c.Cause = CauseTie
		both := 0
		for i, d := range j.Demand {
			if d > float64(j.ReactiveRun[i])+demandSlack && d > float64(j.PredictiveRun[i])+demandSlack {
				both++
			}
		}
		c.Detail += fmt.Sprintf(" (a tie; both were short on %d of the same steps, and the trace has %d steps "+
			"that rise beyond the target's headroom within a boot time)", both, a.SuddenSteps)
	case r.InstanceHours > p.InstanceHours:
		// The usual reason: the reactive policy keeps instances until
		// utilisation falls below its scale-in threshold, far below target.
		c.Cause = CauseReactiveHeadroom
		c.Detail += fmt.Sprintf("; reactive ran %.1f%% more instance-hours, headroom that absorbed rises",
			100*(r.InstanceHours/p.InstanceHours-1))
	default:
		c.Cause = CauseForecast
		c.Detail += fmt.Sprintf("; reactive did so with %.1f%% fewer instance-hours",
			100*(1-r.InstanceHours/p.InstanceHours))
	}
	return c
}

func checkCost(a Acceptance, r, p Outcome) Check {
	c := Check{Name: CheckCostReactive, Met: p.CostUSD <= r.CostUSD+1e-9}
	c.Detail = fmt.Sprintf("predictive $%.2f, reactive $%.2f", p.CostUSD, r.CostUSD)
	switch {
	case c.Met:
	case r.UnderProvisionedSteps > p.UnderProvisionedSteps:
		c.Cause = CauseReactiveUnder
		c.Detail += fmt.Sprintf(" (%.1f%% more): reactive is cheaper only by under-provisioning %d steps to "+
			"predictive's %d", 100*(p.CostUSD/r.CostUSD-1), r.UnderProvisionedSteps, p.UnderProvisionedSteps)
	case a.OracleCostUSD > r.CostUSD+1e-9:
		c.Cause = CauseRulesBound
		c.Detail += fmt.Sprintf(" (%.1f%% more); a perfect forecast through the same rules costs $%.2f, also more",
			100*(p.CostUSD/r.CostUSD-1), a.OracleCostUSD)
	default:
		c.Cause = CauseForecast
		c.Detail += fmt.Sprintf(" (%.1f%% more); a perfect forecast through the same rules costs $%.2f",
			100*(p.CostUSD/r.CostUSD-1), a.OracleCostUSD)
	}
	return c
}
