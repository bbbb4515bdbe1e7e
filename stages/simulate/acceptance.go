package simulate

import (
	"fmt"
	"strings"
	"time"

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
	// the most any policy at this target utilisation could save; and
	// OracleSavedPct the same for the decision rules with a perfect
	// forecast (see Oracle): what Scalora's rules save while covering
	// every step (the predictive policy may save more by running short).
	SavedPct       float64 `json:"saved_pct"`
	IdealSavedPct  float64 `json:"ideal_saved_pct"`
	OracleSavedPct float64 `json:"oracle_saved_pct"`

	// OracleCostUSD is the cost of the Oracle's instances.
	OracleCostUSD float64 `json:"oracle_cost_usd"`

	// SuddenRisePct is the share of steps, in percent, whose demand exceeds
	// the capacity that the demand of 1 + boot steps earlier needs at the
	// target utilisation: rises that a policy sizing from past demand
	// cannot cover in time, and only a forecast that sees them coming (or
	// more headroom) can. SuddenSteps counts them, and SuddenUnderSteps
	// those among them that the predictive policy under-provisioned.
	SuddenRisePct    float64 `json:"sudden_rise_pct"`
	SuddenSteps      int     `json:"sudden_steps"`
	SuddenUnderSteps int     `json:"sudden_under_steps"`

	// LaggedReserve is the fewest instances that a policy sizing each step
	// from the demand 1 + boot steps earlier must add to stay within
	// AcceptUnderPct under-provisioned steps (see Lagged), and
	// LaggedSavedPct what it then saves against static: the price of
	// covering the trace's rises without foreseeing them.
	LaggedReserve  int     `json:"lagged_reserve"`
	LaggedSavedPct float64 `json:"lagged_saved_pct"`

	Checks []Check `json:"checks"`
}

// Check is one acceptance target. Cause is empty when the check is met
// and otherwise one of the Cause constants; Detail says it in a sentence
// with the numbers.
type Check struct {
	Name   string `json:"name"`
	Met    bool   `json:"met"`
	Cause  string `json:"cause,omitempty"`
	Detail string `json:"detail"`
}

// Judged is what Accept judges: the outcomes of the policies and of the
// two bounds on one workload, and what they were measured on.
type Judged struct {
	Static, Reactive, Predictive, Ideal Outcome

	// Oracle measures the instances of Oracle, Lagged those of Lagged
	// (whose reserve is LaggedReserve).
	Oracle, Lagged Outcome
	LaggedReserve  int

	// Demand is each step's demand; ReactiveRun and PredictiveRun the
	// instances those policies served each step with.
	Demand                     []float64
	ReactiveRun, PredictiveRun []int

	Group decision.GroupConfig
	// Boot is the boot time in steps, ceil(BootTime / step).
	Boot int
}

// Accept judges the outcomes of a workload. A check that is missed says
// why, with a Cause that follows from the numbers (see the Cause
// constants).
func Accept(j Judged) Acceptance {
	a := Acceptance{
		SavedPct:       savedPct(j.Static, j.Predictive),
		IdealSavedPct:  savedPct(j.Static, j.Ideal),
		OracleSavedPct: savedPct(j.Static, j.Oracle),
		OracleCostUSD:  j.Oracle.CostUSD,
		LaggedReserve:  j.LaggedReserve,
		LaggedSavedPct: savedPct(j.Static, j.Lagged),
	}
	sudden := suddenRises(j.Demand, j.Group, j.Boot)
	a.SuddenSteps = countTrue(sudden)
	a.SuddenRisePct = pctOf(a.SuddenSteps, len(j.Demand))
	for i, d := range j.Demand {
		if sudden[i] && d > float64(j.PredictiveRun[i])+demandSlack {
			a.SuddenUnderSteps++
		}
	}

	a.Checks = []Check{
		checkSaves(a, j.Group),
		checkUnder(a, j.Predictive),
		checkBeats(j, a),
		checkCost(a, j.Reactive, j.Predictive),
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

// suddenRises marks the steps i whose demand exceeds
// need(demand[i-1-boot]): the capacity of a policy that sized step i at
// target from the last demand it could act on in time.
func suddenRises(demand []float64, g decision.GroupConfig, boot int) []bool {
	lag := 1 + boot
	out := make([]bool, len(demand))
	for i := lag; i < len(demand); i++ {
		out[i] = demand[i] > float64(need(demand[i-lag], &g))+demandSlack
	}
	return out
}

// suddenRisePct is the share of steps, in percent, that suddenRises marks.
func suddenRisePct(demand []float64, g decision.GroupConfig, boot int) float64 {
	return pctOf(countTrue(suddenRises(demand, g, boot)), len(demand))
}

func countTrue(b []bool) int {
	n := 0
	for _, v := range b {
		if v {
			n++
		}
	}
	return n
}

func pctOf(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return 100 * float64(n) / float64(of)
}

func pct(f float64) string { return fmt.Sprintf("%g%%", f*100) }

// shortDur prints a duration without trailing zero units: 5m, 1h30m, 90s.
func shortDur(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}
