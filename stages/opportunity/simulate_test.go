package opportunity

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/stages/decision"
	"github.com/scalora/scalora/stages/simulate"
)

// TestAgreesWithTheHindsightPass feeds random histories to the live
// detector (in preview mode) and to simulate.Opportunities, the pass over
// a recorded history, and wants the same intervals from both.
func TestAgreesWithTheHindsightPass(t *testing.T) {
	g := decision.GroupConfig{Name: "web", Instances: 12, MinInstances: 1, MaxInstances: 20,
		TargetUtilization: 0.6, ScaleInStabilization: 15 * time.Minute, Mode: schemas.ModeEnforce}
	cfg := decision.Config{Step: 5 * time.Minute, Groups: map[string]decision.GroupConfig{"web": g}}
	w := &simulate.Workload{Start: t0, Step: cfg.Step}

	total := 0
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 7))
		d, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		g := d.cfg.Group("web") // with defaults, as simulate needs them

		const n = 400
		demand, running := make([]float64, n), make([]int, n)
		level := 4.0
		var live []schemas.Opportunity
		for i := range n {
			level = math.Max(0, level+rng.NormFloat64()*0.6)
			demand[i] = level
			running[i] = 1 + rng.IntN(14)

			ts := w.Time(i)
			// Preview mode: the running count is the static one, the count
			// the hindsight pass is given. (Enforce mode also discounts
			// Scalora's own damping; see TestEnforceModeDiscountsTheScaleInDamping.)
			dec := schemas.Decision{Group: "web", Time: ts, DemandNow: demand[i], Mode: schemas.ModePreview}
			c := schemas.Cost{Group: "web", Time: ts, PricePerHour: price, StepSeconds: 300,
				StaticInstances: running[i], DecidedInstances: 12}
			live = append(live, d.Observe(dec, c)...)
		}
		live = append(live, d.Flush()...)

		want := simulate.Opportunities(w, running, demand, g, price)
		if len(live) != len(want) {
			t.Fatalf("seed %d: live found %d intervals, hindsight %d", seed, len(live), len(want))
		}
		for i, o := range want {
			l := live[i]
			if !l.Start.Equal(o.Start) || !l.End.Equal(o.End) || l.Removable != o.Removable ||
				math.Abs(l.InstanceHours-o.InstanceHours) > 1e-9 || math.Abs(l.Dollars-o.CostUSD) > 1e-9 {
				t.Errorf("seed %d interval %d: live %+v, hindsight %+v", seed, i, l, o)
			}
		}
		total += len(want)
	}
	if total < 20 {
		t.Fatalf("only %d intervals over 20 histories: the test exercises too little", total)
	}
	t.Logf("%d intervals agree", total)
}

// In enforce mode the running count is Scalora's own, which waits the
// stabilisation window and then removes at most max_scale_in_step a step:
// an excess that lasts only that long is its damping, not a miss.
func TestEnforceModeDiscountsTheScaleInDamping(t *testing.T) {
	g := decision.GroupConfig{Name: "web", Instances: 12, MinInstances: 1, MaxInstances: 20,
		TargetUtilization: 0.5, ScaleInStabilization: 15 * time.Minute, MaxScaleInStep: 2,
		Mode: schemas.ModeEnforce}
	cfg := decision.Config{Step: 5 * time.Minute, Groups: map[string]decision.GroupConfig{"web": g}}

	// Demand 2 units needs 4 instances; 8 run, so 4 are removable. The
	// window is 3 steps, removing 4 takes 2 more and Scalora reacts one
	// step late: an excess of fewer than 6 steps is damping.
	run := func(steps int) []schemas.Opportunity {
		d, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		var out []schemas.Opportunity
		for i := range steps + 1 {
			running, demand := 8, 2.0
			if i == steps {
				running = 4 // the excess ends
			}
			ts := t0.Add(time.Duration(i) * cfg.Step)
			out = append(out, d.Observe(
				schemas.Decision{Group: "web", Time: ts, DemandNow: demand, Mode: schemas.ModeEnforce},
				schemas.Cost{Group: "web", Time: ts, PricePerHour: price, StepSeconds: 300,
					StaticInstances: 12, DecidedInstances: running})...)
		}
		return out
	}

	if got := run(5); len(got) != 0 {
		t.Errorf("an excess of 5 steps is Scalora's own damping, got %+v", got)
	}
	if got := run(6); len(got) != 1 || got[0].Removable != 4 {
		t.Errorf("an excess of 6 steps outlasts the damping: got %+v, want one interval removing 4", got)
	}
}
