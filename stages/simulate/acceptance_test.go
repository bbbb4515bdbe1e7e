package simulate

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scalora/scalora/schemas/trace"
	"github.com/scalora/scalora/schemas/trace/tracetest"
)

// sharedTraces lists the acceptance traces: every Bitbrains VM month and
// the NAB CPU files.
func sharedTraces(t *testing.T) []*trace.Series {
	t.Helper()
	data := tracetest.SharedData(t)

	var out []*trace.Series
	nab, _ := filepath.Glob(filepath.Join(data, "nab", "realAWSCloudwatch", "*.csv"))
	nab = append(nab, filepath.Join(data, "nab", "realKnownCause", "cpu_utilization_asg_misconfiguration.csv"))
	for _, p := range nab {
		s, err := trace.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}

	bb, _ := filepath.Glob(filepath.Join(data, "bitbrains_rnd", "*", "*.csv"))
	for _, p := range bb {
		s, err := trace.ReadAny(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if len(out) < 2 {
		t.Skip("no acceptance traces under ../shared/data")
	}
	return out
}

// TestAcceptanceOnSharedTraces runs every shared trace through the three
// policies with the defaults and prints the table of the closing note. A
// trace that misses a target must say why in its checks; a trace that
// meets them must agree with the numbers.
func TestAcceptanceOnSharedTraces(t *testing.T) {
	if testing.Short() {
		t.Skip("replays about 170 000 steps through the LSTM; not in -short")
	}

	var table strings.Builder
	fmt.Fprintf(&table, "\n%-36s %-10s %9s %9s %7s %7s %6s %6s\n", "trace", "policy", "inst-h", "cost $", "under%", "strain%", "under", "strain")
	met := 0
	for _, s := range sharedTraces(t) {
		step, err := InferStep(s)
		if err != nil {
			t.Fatal(err)
		}
		w, err := FromSeries(s, step)
		if err != nil {
			t.Fatal(err)
		}
		r, err := Run(w, Config{})
		if err != nil {
			t.Fatal(err)
		}

		for _, o := range r.Outcomes {
			fmt.Fprintf(&table, "%-36s %-10s %9.1f %9.2f %7.2f %7.2f %6d %6d\n",
				w.Name, o.Policy, o.InstanceHours, o.CostUSD, o.UnderProvisionedPct, o.StrainedPct,
				o.UnderProvisionedSteps, o.StrainedSteps)
		}
		a := r.Acceptance
		fmt.Fprintf(&table, "%-36s met=%v saved=%.1f%% ideal=%.1f%% oracle=%.1f%% lagged=%.1f%%(+%d) sudden=%.2f%%\n",
			"", a.Met, a.SavedPct, a.IdealSavedPct, a.OracleSavedPct, a.LaggedSavedPct, a.LaggedReserve, a.SuddenRisePct)
		for _, c := range a.Checks {
			if !c.Met {
				fmt.Fprintf(&table, "%-36s   %s [%s]: %s\n", "", c.Name, c.Cause, c.Detail)
			}
		}
		if a.Met {
			met++
		}
		checkAcceptanceAgrees(t, w.Name, r)
	}
	t.Logf("%s\nacceptance met on %d traces", table.String(), met)
}

// checkAcceptanceAgrees recomputes each check, and the cause of each
// missed one, from the outcomes and the bounds.
func checkAcceptanceAgrees(t *testing.T, name string, r *Result) {
	t.Helper()
	static, reactive, pred := r.Outcomes[0], r.Outcomes[1], r.Outcomes[2]
	a := r.Acceptance
	saved := 100 * (1 - pred.InstanceHours/static.InstanceHours)
	want := map[string]bool{
		CheckSaves:        saved >= AcceptSavedPct,
		CheckUnder:        pred.UnderProvisionedPct <= AcceptUnderPct,
		CheckBeatsUnder:   pred.UnderProvisionedSteps < reactive.UnderProvisionedSteps || pred.UnderProvisionedSteps+reactive.UnderProvisionedSteps == 0,
		CheckCostReactive: pred.CostUSD <= reactive.CostUSD+1e-9,
	}
	for _, c := range a.Checks {
		if c.Met != want[c.Name] {
			t.Errorf("%s: check %s met=%v, the outcomes say %v", name, c.Name, c.Met, want[c.Name])
		}
		if c.Detail == "" {
			t.Errorf("%s: check %s has no detail", name, c.Name)
		}
		if c.Met != (c.Cause == "") {
			t.Errorf("%s: check %s met=%v with cause %q", name, c.Name, c.Met, c.Cause)
		}
		if !c.Met && !causeHolds(c, a, reactive, pred) {
			t.Errorf("%s: check %s gives cause %q, which the numbers do not bear out: %+v", name, c.Name, c.Cause, a)
		}
	}
}

// causeHolds says whether the numbers bear out the cause of missed check c.
func causeHolds(c Check, a Acceptance, r, p Outcome) bool {
	switch c.Cause {
	case CauseIdealBound:
		return a.IdealSavedPct < AcceptSavedPct
	case CauseRulesBound:
		if c.Name == CheckCostReactive {
			return a.OracleCostUSD > r.CostUSD
		}
		return a.IdealSavedPct >= AcceptSavedPct && a.OracleSavedPct < AcceptSavedPct
	case CauseUnforeseenRises:
		return a.LaggedSavedPct < AcceptSavedPct
	case CauseReactiveHeadroom:
		return r.InstanceHours > p.InstanceHours
	case CauseReactiveUnder:
		return r.UnderProvisionedSteps > p.UnderProvisionedSteps && r.CostUSD < p.CostUSD
	case CauseTie:
		return r.UnderProvisionedSteps == p.UnderProvisionedSteps
	case CauseForecast:
		switch c.Name {
		case CheckSaves:
			return a.OracleSavedPct >= AcceptSavedPct
		case CheckUnder:
			return a.LaggedSavedPct >= AcceptSavedPct
		case CheckBeatsUnder:
			return r.InstanceHours <= p.InstanceHours
		case CheckCostReactive:
			return a.OracleCostUSD <= r.CostUSD+1e-9
		}
	}
	return false
}
