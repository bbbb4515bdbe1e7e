package simulate

import (
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/stages/decision"
)

// wavy returns n steps of a CPU that swings between about 20 and 60 %.
func wavy(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = 40 + 20*math.Sin(float64(i)/4)
	}
	return out
}

// Changing the trace from step 40 on must not change anything the stages
// produced for steps 0-39: forecasts and decisions use data up to their
// own step only.
func TestReplayNeverLooksAhead(t *testing.T) {
	a := workload(wavy(60)...)
	b := workload(wavy(60)...)
	for i := 40; i < 60; i++ {
		b.CPU[i] = 95
	}

	cfg := Config{Group: group(decision.GroupConfig{})}
	if err := cfg.SetDefaults(); err != nil {
		t.Fatal(err)
	}
	ra, err := Replay(a, &cfg)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := Replay(b, &cfg)
	if err != nil {
		t.Fatal(err)
	}

	if len(ra) != 60 || len(rb) != 60 {
		t.Fatalf("got %d and %d records, want 60", len(ra), len(rb))
	}
	for i := range 40 {
		if !reflect.DeepEqual(ra[i], rb[i]) {
			t.Fatalf("step %d differs although only steps from 40 changed:\n%+v\n%+v", i, ra[i], rb[i])
		}
	}
	if reflect.DeepEqual(ra[40].Decision, rb[40].Decision) {
		t.Fatalf("step 40's decision ignores its own CPU: %+v", ra[40].Decision)
	}
}

// Worked example of the predictive policy through the real stages: 10
// instances at a flat 20 % (2 units, needing 4 at 60 %). The window is full
// at step 23, the first ready forecast; with a 15m stabilisation (3 steps)
// the decider holds 10 on steps 23-24, then removes 2 a step: 8 (step 25),
// 6, 4 (step 27 on). Scale-in counts from the next step, so 10 instances
// serve steps 0-25, then 8, 6 and 4 from step 28: 26×10 + 8 + 6 + 12×4 =
// 322 instance-steps of 5 minutes, 26.833 instance-hours, $2.6833 at $0.1.
func TestRunPredictiveOnAFlatTrace(t *testing.T) {
	w := workload(repeat(20, 40)...)
	r, err := Run(w, Config{Group: group(decision.GroupConfig{})})
	if err != nil {
		t.Fatal(err)
	}

	targets := make([]int, w.Len())
	for i, rec := range r.Records {
		targets[i] = rec.Decision.Target
		if ready := rec.Forecast.Ready; ready != (i >= 23) {
			t.Fatalf("step %d forecast ready=%v: %s", i, ready, rec.Forecast.Reason)
		}
	}
	want := slices.Concat(repeatInt(10, 25), []int{8, 6}, repeatInt(4, 13))
	if !slices.Equal(targets, want) {
		t.Fatalf("targets\n%v, want\n%v", targets, want)
	}
	if r.Records[25].Decision.Action != schemas.ActionScaleDown {
		t.Fatalf("step 25: %+v", r.Records[25].Decision)
	}

	pred := r.Outcomes[2]
	if pred.Policy != PolicyPredictive || !near(pred.InstanceHours, 322*5/60.0) || !near(pred.CostUSD, 0.1*322*5/60.0) {
		t.Fatalf("predictive %+v, want 26.833 instance-hours, $2.6833", pred)
	}
	if pred.UnderProvisionedSteps != 0 || pred.StrainedSteps != 0 {
		t.Fatalf("predictive %+v, want nothing under-provisioned or strained", pred)
	}

	// The reactive autoscaler sees utilisation below 30 % for 10 steps at a
	// time: 10 → 8 (step 10, 2/10 = 20 %), 6 (step 20, 2/8 = 25 %); on 6
	// instances 2 units are 33 %, so it stops there, with 2 more than needed.
	wantReactive := slices.Concat(repeatInt(10, 10), repeatInt(8, 10), repeatInt(6, 20))
	if !slices.Equal(r.Reactive, wantReactive) {
		t.Fatalf("reactive\n%v, want\n%v", r.Reactive, wantReactive)
	}
}

// The predictive policy replays exactly the targets the decision stage
// produced, so the simulation measures the pipeline's own decisions.
func TestRunPredictiveFollowsTheDecider(t *testing.T) {
	w := workload(wavy(80)...)
	r, err := Run(w, Config{Group: group(decision.GroupConfig{})})
	if err != nil {
		t.Fatal(err)
	}
	targets := make([]int, w.Len())
	for i, rec := range r.Records {
		targets[i] = rec.Decision.Target
	}
	if got := Predictive(targets, r.Config.Group, w.Step); !slices.Equal(got, r.Predictive) {
		t.Fatalf("predictive %v, decider's targets give %v", r.Predictive, got)
	}
	if r.Outcomes[2] != Measure(PolicyPredictive, r.Predictive, r.Demand, 0.6, 0.1, w.Step) {
		t.Fatalf("outcome %+v does not measure the series", r.Outcomes[2])
	}
}
