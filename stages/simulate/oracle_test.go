package simulate

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scalora/scalora/stages/decision"
)

// Worked example of the oracle (5m steps, 5m boot: lead 2; 15m
// stabilisation: window 3; at most 2 removed a step). Demand 3 needs 5 at
// 60 %, demand 9 needs 15. Steps 0-1 keep 10 while the window fills; step
// 2 and 3 order 8 and 6 (serving from 3 and 4); step 4 sees the rise at
// step 6 and orders 15, which serve from step 6 exactly. Steps 6-8 run 15;
// step 8's current demand keeps 15 in the window until step 11, which
// orders 13, then 11 and 9.
func TestOracleScalesOutJustInTimeAndInWithinTheRules(t *testing.T) {
	g := group(decision.GroupConfig{})
	cpu := slices.Concat(repeat(30, 6), repeat(90, 3), repeat(30, 6))
	w := workload(cpu...)

	got, err := Oracle(w, g)
	if err != nil {
		t.Fatal(err)
	}
	want := []int{10, 10, 10, 8, 6, 6, 15, 15, 15, 15, 15, 15, 13, 11, 9}
	if !slices.Equal(got, want) {
		t.Fatalf("oracle ran %v\nwant       %v", got, want)
	}
	o := Measure(PolicyPredictive, got, demands(w, 10), 0.6, 0.1, w.Step)
	if o.UnderProvisionedSteps != 0 || o.StrainedSteps != 0 {
		t.Errorf("a perfect forecast left %d steps short, %d strained", o.UnderProvisionedSteps, o.StrainedSteps)
	}
}

// A perfect forecast never falls short of demand, so the decision stage
// keeps no reserve for forecast misses in the Oracle: on a trace of sudden
// jumps it runs exactly what it runs with the reserve turned off, and the
// rules_bound cause stays about the rules alone.
func TestOracleKeepsNoReserveForForecastMisses(t *testing.T) {
	cpu := slices.Concat(repeat(10, 8), repeat(95, 2), repeat(10, 8), repeat(80, 1), repeat(5, 12))
	w := workload(cpu...)

	with, err := Oracle(w, group(decision.GroupConfig{HeadroomQuantile: 0.5}))
	if err != nil {
		t.Fatal(err)
	}
	without, err := Oracle(w, group(decision.GroupConfig{HeadroomQuantile: -1}))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(with, without) {
		t.Fatalf("with a reserve the oracle ran %v\nwithout               %v", with, without)
	}
}

// Lagged with a 1-step boot sizes step i from demand i-2. Demand 1, 1, 3,
// 1, 1, 4 gives base 10, 10 (the static start), need(1) = 2, 2, need(3) =
// 5, need(1) = 2: short by 1 at step 2 and by 2 at step 5. With no step
// allowed short the reserve is 2; with one allowed it is 1, and only step
// 5 stays short.
func TestLaggedReserveIsTheSmallestWithinTheAllowance(t *testing.T) {
	g := group(decision.GroupConfig{})
	d := []float64{1, 1, 3, 1, 1, 4}

	run, reserve := Lagged(d, g, 1, 0)
	if reserve != 2 || !slices.Equal(run, []int{12, 12, 4, 4, 7, 4}) {
		t.Fatalf("none short: reserve %d, run %v", reserve, run)
	}
	run, reserve = Lagged(d, g, 1, 1)
	if reserve != 1 || !slices.Equal(run, []int{11, 11, 3, 3, 6, 3}) {
		t.Fatalf("one short: reserve %d, run %v", reserve, run)
	}
	if o := Measure(PolicyStatic, run, d, 0.6, 0.1, time.Hour); o.UnderProvisionedSteps != 1 {
		t.Errorf("%d steps short, want 1", o.UnderProvisionedSteps)
	}
}

// A spike every 6 steps (3 units, then 9): the ideal saves a third of 10
// static instances, but the rules keep 15 for the spike's window and
// remove 2 a step, so even a perfect forecast saves less than 30 %, and the
// savings check blames the rules, not the forecast.
func TestAcceptBlamesTheRulesWhenAPerfectForecastCannotSave(t *testing.T) {
	g := group(decision.GroupConfig{})
	var cpu []float64
	for range 20 {
		cpu = append(cpu, 30, 30, 30, 30, 30, 90)
	}
	w := workload(cpu...)
	d := demands(w, 10)

	oracle, err := Oracle(w, g)
	if err != nil {
		t.Fatal(err)
	}
	m := func(run []int) Outcome { return Measure(PolicyPredictive, run, d, 0.6, 0.1, w.Step) }
	static, ideal, perfect := m(Static(w.Len(), 10)), m(Ideal(d, g)), m(oracle)
	a := Accept(Judged{
		Static: static, Reactive: static, Predictive: perfect, Ideal: ideal, Oracle: perfect, Lagged: static,
		Demand: d, ReactiveRun: Static(w.Len(), 10), PredictiveRun: oracle, Group: g, Boot: 1,
	})

	if a.IdealSavedPct < AcceptSavedPct || a.OracleSavedPct >= AcceptSavedPct {
		t.Fatalf("ideal saved %.1f %%, oracle %.1f %%: the example no longer separates them", a.IdealSavedPct, a.OracleSavedPct)
	}
	c := a.Checks[0]
	if c.Met || c.Cause != CauseRulesBound || !strings.Contains(c.Detail, "15m scale-in stabilisation") {
		t.Fatalf("savings check %+v", c)
	}
}

// The causes of the under-provisioning and cost checks follow from the
// bounds: a reserve that leaves less than 30 % saved puts it on rises
// nobody saw coming; reactive cheaper only by being short more often is
// said so; a perfect forecast dearer than reactive puts it on the rules.
func TestChecksNameTheirCauseFromTheBounds(t *testing.T) {
	short := Outcome{UnderProvisionedSteps: 30, UnderProvisionedPct: 3}
	cases := []struct {
		name string
		c    Check
		want string
	}{
		{"rises cost the savings", checkUnder(Acceptance{LaggedSavedPct: 10, LaggedReserve: 4}, short), CauseUnforeseenRises},
		{"rises affordable", checkUnder(Acceptance{LaggedSavedPct: 40, LaggedReserve: 1}, short), CauseForecast},
		{"reactive short more", checkCost(Acceptance{}, Outcome{CostUSD: 9, UnderProvisionedSteps: 5}, Outcome{CostUSD: 10}), CauseReactiveUnder},
		{"perfect forecast dearer", checkCost(Acceptance{OracleCostUSD: 9.5}, Outcome{CostUSD: 9}, Outcome{CostUSD: 10}), CauseRulesBound},
		{"forecast dearer", checkCost(Acceptance{OracleCostUSD: 8}, Outcome{CostUSD: 9}, Outcome{CostUSD: 10}), CauseForecast},
		{"saves less than a perfect forecast", checkSaves(Acceptance{SavedPct: 20, IdealSavedPct: 50, OracleSavedPct: 40}, group(decision.GroupConfig{})), CauseForecast},
	}
	for _, tc := range cases {
		if tc.c.Met || tc.c.Cause != tc.want || tc.c.Detail == "" {
			t.Errorf("%s: %+v, want cause %s", tc.name, tc.c, tc.want)
		}
	}
}

// BenchmarkOracle runs the decision stage with a perfect forecast over a
// month of 5-minute steps (8,640), the length of a Bitbrains trace: one op
// is one whole trace.
func BenchmarkOracle(b *testing.B) {
	g := group(decision.GroupConfig{})
	cpu := make([]float64, 8640)
	for i := range cpu {
		cpu[i] = float64(20 + 60*(i%12)/11)
	}
	w := workload(cpu...)

	b.ReportAllocs()
	for b.Loop() {
		if _, err := Oracle(w, g); err != nil {
			b.Fatal(err)
		}
	}
}
