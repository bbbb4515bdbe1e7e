package simulate

import (
	"slices"
	"testing"
	"time"

	"github.com/scalora/scalora/stages/decision"
)

func repeat(v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

func repeatInt(v, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// A scale-out ordered at the end of step 1 serves from step 3 (5m boot on
// 5m steps: step 2 is spent booting); a scale-in ordered at the end of
// step 3 counts from step 4.
func TestPredictiveAppliesTargetsAfterBootAndScaleInAtOnce(t *testing.T) {
	g := group(decision.GroupConfig{Instances: 4})
	got := Predictive([]int{4, 6, 6, 2, 2}, g, 5*time.Minute)

	want := []int{4, 4, 4, 6, 2}
	if !slices.Equal(got, want) {
		t.Fatalf("running %v, want %v", got, want)
	}
}

// Lowering the target while instances boot cancels the booting ones first:
// 4 launched at the end of step 1 for step 3, then the target falls to 5 at
// the end of step 2, which leaves 1 of them.
func TestPredictiveCancelsBootingInstancesFirst(t *testing.T) {
	g := group(decision.GroupConfig{Instances: 4})
	got := Predictive([]int{4, 8, 5, 5}, g, 5*time.Minute)

	if want := []int{4, 4, 4, 5}; !slices.Equal(got, want) {
		t.Fatalf("running %v, want %v", got, want)
	}
}

// A 12-minute boot on 5-minute steps is 3 steps: ordered at the end of
// step 0, the instances serve from step 4 (the first step starting after
// 5+12 = 17 minutes).
func TestPredictiveRoundsBootUpToWholeSteps(t *testing.T) {
	g := group(decision.GroupConfig{Instances: 2, BootTime: 12 * time.Minute})
	got := Predictive([]int{3, 3, 3, 3, 3}, g, 5*time.Minute)

	if want := []int{2, 2, 2, 2, 3}; !slices.Equal(got, want) {
		t.Fatalf("running %v, want %v", got, want)
	}
}

// Worked example: 4 instances at 80 % (3.2 units, utilisation 0.8) from
// step 1. Steps 1, 2, 3 are above 70 %, so at the end of step 3 the
// autoscaler orders ceil(3.2 / 0.6) = 6, which serve from step 5.
func TestReactiveScalesOutAfterThreeHotStepsAndBoot(t *testing.T) {
	g := group(decision.GroupConfig{Instances: 4})
	w := workload(append([]float64{50}, repeat(80, 7)...)...)
	d := demands(w, 4)

	got := Reactive(d, g, ReactiveConfig{OutAbove: 0.7, OutSteps: 3, InBelow: 0.3, InSteps: 10}, w.Step)

	if want := []int{4, 4, 4, 4, 4, 6, 6, 6}; !slices.Equal(got, want) {
		t.Fatalf("running %v, want %v", got, want)
	}

	// 3.2 units on 4 instances is never above capacity, but above
	// 4 × 0.6 = 2.4 on steps 1-4; on 6 instances (3.6) it is not.
	o := Measure(PolicyReactive, got, d, g.TargetUtilization, g.CostPerHour, w.Step)
	if o.UnderProvisionedSteps != 0 || o.StrainedSteps != 4 || o.ScaleOuts != 1 {
		t.Fatalf("outcome %+v, want 0 under-provisioned, 4 strained, 1 scale-out", o)
	}
}

// Worked example: 4 instances at 10 % (0.4 units, utilisation 0.1) for 20
// steps, then 50 % (2 units). After 10 cold steps it removes 2 (the step
// limit; 0.4 units need only 1), after 10 more the last 1 it may, down to 1.
// At step 20 demand 2 exceeds 1 instance: under-provisioned until the
// scale-out ordered after 3 hot steps (end of step 22) serves at step 24.
func TestReactiveScalesInAfterTenColdStepsAndLagsTheRise(t *testing.T) {
	g := group(decision.GroupConfig{Instances: 4})
	w := workload(append(repeat(10, 20), repeat(50, 6)...)...)
	d := demands(w, 4)
	rc := ReactiveConfig{}
	rc.SetDefaults()

	got := Reactive(d, g, rc, w.Step)

	want := slices.Concat(repeatInt(4, 10), repeatInt(2, 10), repeatInt(1, 4), repeatInt(4, 2))
	if !slices.Equal(got, want) {
		t.Fatalf("running\n%v, want\n%v", got, want)
	}

	// 4×10 + 2×10 + 1×4 + 4×2 = 72 instance-steps of 5 minutes = 6 h, at
	// $0.1 = $0.60. Steps 20-23 run 2 units on 1 instance.
	o := Measure(PolicyReactive, got, d, g.TargetUtilization, g.CostPerHour, w.Step)
	if !near(o.InstanceHours, 6) || !near(o.CostUSD, 0.6) {
		t.Errorf("instance-hours %g cost %g, want 6 and 0.6", o.InstanceHours, o.CostUSD)
	}
	if o.UnderProvisionedSteps != 4 || !near(o.UnderProvisionedPct, 100*4.0/26) {
		t.Errorf("under-provisioned %d (%g%%), want 4 (15.38%%)", o.UnderProvisionedSteps, o.UnderProvisionedPct)
	}
	// Strained: 0.4 > 1 × 0.6? no. 2 > 4 × 0.6 = 2.4? no. So only the 4
	// steps on 1 instance.
	if o.StrainedSteps != 4 {
		t.Errorf("strained %d, want 4", o.StrainedSteps)
	}
}

func TestReactiveThresholdsAreConfigurable(t *testing.T) {
	g := group(decision.GroupConfig{Instances: 4})
	w := workload(append([]float64{50}, repeat(80, 5)...)...)

	// Out above 90 % never fires at 80 %.
	got := Reactive(demands(w, 4), g, ReactiveConfig{OutAbove: 0.9, OutSteps: 1, InBelow: 0.3, InSteps: 10}, w.Step)
	if want := repeatInt(4, 6); !slices.Equal(got, want) {
		t.Fatalf("running %v, want %v", got, want)
	}

	// Out above 70 % for 1 step orders at the end of step 1, serving step 3.
	got = Reactive(demands(w, 4), g, ReactiveConfig{OutAbove: 0.7, OutSteps: 1, InBelow: 0.3, InSteps: 10}, w.Step)
	if want := []int{4, 4, 4, 6, 6, 6}; !slices.Equal(got, want) {
		t.Fatalf("running %v, want %v", got, want)
	}
}

// Worked example: 10 static instances. 35 % of 10 is 3.5 units; at 60 %
// that needs ceil(5.83) = 6, and 100 % needs the max of 10 (16.7 capped).
func TestStaticAndIdealOnAWorkedTrace(t *testing.T) {
	g := group(decision.GroupConfig{})
	w := workload(35, 35, 100, 5, 120)
	d := demands(w, 10)

	if got := Ideal(d, g); !slices.Equal(got, []int{6, 6, 17, 1, 17}) {
		t.Fatalf("ideal %v", got)
	}
	g.MaxInstances = 10
	if got := Ideal(d, g); !slices.Equal(got, []int{6, 6, 10, 1, 10}) {
		t.Fatalf("ideal capped at 10: %v", got)
	}

	// CPU is clipped at 100: 120 % is demand 10, at capacity, not above.
	o := Measure(PolicyStatic, Static(5, 10), d, g.TargetUtilization, g.CostPerHour, w.Step)
	if o.UnderProvisionedSteps != 0 || o.StrainedSteps != 2 || !near(o.InstanceHours, 50.0/12) {
		t.Fatalf("static outcome %+v, want 0 under, 2 strained, 4.1667 h", o)
	}
}

func near(a, b float64) bool {
	d := a - b
	return d < 1e-9 && d > -1e-9
}
