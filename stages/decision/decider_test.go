package decision

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas"
)

// A forecast peak inside the boot-time lead sets the count: 10 instances at
// 74 % is 7.4 instance-units; at 60 % target that needs ceil(12.33) = 13.
func TestObserveScalesUpOnForecastPeakWithinBootTime(t *testing.T) {
	d := newWeb(t, GroupConfig{})

	// Boot time 5m on a 1m step: lead 6, so the 95 at 7 steps is ignored.
	if out := d.Observe(fc("h1", 0, 30, 40, 74, 50, 50, 60, 95), 30); out != nil {
		t.Fatalf("first forecast of a step emitted %+v", out)
	}
	got := only(t, step(t, d, 1, 30))

	want := schemas.Decision{
		Group: "web", Time: at(0), Action: schemas.ActionScaleUp,
		Current: 10, Target: 13, HorizonSteps: 6, Model: "lstm-v1",
		Mode: schemas.ModeEnforce,
		Reason: "forecast peak 7.4 instance-units within 6m at 60% target " +
			"needs 13 > 10 running: scale up",
	}
	if !near(got.DemandNow, 3) || !near(got.ForecastPeak, 7.4) {
		t.Errorf("demand %g, peak %g; want 3, 7.4", got.DemandNow, got.ForecastPeak)
	}
	got.DemandNow, got.ForecastPeak = 0, 0
	if got != want {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

// Regression: the horizon stopped one step short of the first step a new
// instance serves. Step 0 is decided when it closes, at 10:01; an instance
// ordered then boots for 5m and serves from 10:06, the step of Values[5].
// A peak there (95 % of 10 = 9.5 units, needing 16 at 60 %) was ignored, so
// capacity for it was ordered one step too late.
func TestObserveLooksAheadToTheFirstStepANewInstanceServes(t *testing.T) {
	d := newWeb(t, GroupConfig{})

	d.Observe(fc("h1", 0, 30, 30, 30, 30, 30, 95, 30), 30)
	got := only(t, step(t, d, 1, 30))

	if got.Target != 16 || got.HorizonSteps != 6 {
		t.Fatalf("target %d over %d steps, want 16 over 6: %s", got.Target, got.HorizonSteps, got.Reason)
	}
}

// Regression: 8.4 units / 0.6 is 14.000000000000002 in float64, and a bare
// math.Ceil asked for 15 instances where 14 run exactly at target.
func TestObserveExactTargetNeedsNoExtraInstance(t *testing.T) {
	d := newWeb(t, GroupConfig{})

	step(t, d, 0, 84)
	got := only(t, step(t, d, 1, 84))

	if got.Action != schemas.ActionScaleUp || got.Target != 14 {
		t.Fatalf("got %s to %d, want scale_up to 14: %s", got.Action, got.Target, got.Reason)
	}
	if !strings.Contains(got.Reason, "needs 14 > 10 running") {
		t.Errorf("reason %q", got.Reason)
	}
}

// The reactive signal wins when current demand is above the forecast.
func TestObserveScalesUpOnCurrentDemandAboveForecast(t *testing.T) {
	d := newWeb(t, GroupConfig{})

	d.Observe(fc("h1", 0, flat(50, 12)...), 90)
	got := only(t, step(t, d, 1, 50))

	// 10 x 90 % = 9 units; 9 / 0.6 = 15.
	if got.Action != schemas.ActionScaleUp || got.Target != 15 {
		t.Fatalf("got %s to %d, want scale_up to 15", got.Action, got.Target)
	}
	want := "current demand 9.0 instance-units at 60% target needs 15 > 10 running: scale up"
	if got.Reason != want {
		t.Errorf("reason %q\nwant   %q", got.Reason, want)
	}
}

// Scale-out needs no history: the very first step of a group may add all
// the instances it needs at once, beyond the scale-in step limit.
func TestObserveScalesOutImmediatelyByMoreThanTheStep(t *testing.T) {
	d := newWeb(t, GroupConfig{})

	step(t, d, 0, 100)
	got := only(t, step(t, d, 1, 100))

	// 10 units / 0.6 = 16.67 -> 17: +7 in one decision.
	if got.Action != schemas.ActionScaleUp || got.Current != 10 || got.Target != 17 {
		t.Fatalf("got %s %d -> %d, want scale_up 10 -> 17", got.Action, got.Current, got.Target)
	}
}

// Demand of 1.8 units needs 3 instances. Nothing is removed before the
// 15-step window is full; then 2 per step (the max step), then the rest.
func TestObserveScaleInWaitsForStabilisationThenStepsDown(t *testing.T) {
	d := newWeb(t, GroupConfig{})

	var got []schemas.Decision
	for i := range 20 {
		got = append(got, step(t, d, i, 18)...)
	}
	got = append(got, d.Flush()...)
	if len(got) != 20 {
		t.Fatalf("got %d decisions for 20 steps", len(got))
	}

	for i := range 14 {
		if got[i].Action != schemas.ActionMaintain || got[i].Target != 10 {
			t.Fatalf("step %d: %s to %d before the window was full: %s",
				i, got[i].Action, got[i].Target, got[i].Reason)
		}
	}
	wantReason := "needs 3 < 10 running, but only 14m of the 15m stabilisation window seen: maintain"
	if !strings.HasSuffix(got[13].Reason, wantReason) {
		t.Errorf("step 13 reason %q", got[13].Reason)
	}

	wantSteps := []struct {
		action          schemas.Action
		current, target int
	}{
		{schemas.ActionScaleDown, 10, 8},
		{schemas.ActionScaleDown, 8, 6},
		{schemas.ActionScaleDown, 6, 4},
		{schemas.ActionScaleDown, 4, 3},
		{schemas.ActionMaintain, 3, 3},
		{schemas.ActionMaintain, 3, 3},
	}
	for k, w := range wantSteps {
		g := got[14+k]
		if g.Action != w.action || g.Current != w.current || g.Target != w.target {
			t.Errorf("step %d: %s %d -> %d, want %s %d -> %d (%s)",
				14+k, g.Action, g.Current, g.Target, w.action, w.current, w.target, g.Reason)
		}
	}

	want := "demand stayed ≤ 1.8 instance-units for 15m: at 60% target that needs 3; " +
		"removing 2 (max step) of 10: scale down"
	if got[14].Reason != want {
		t.Errorf("reason %q\nwant   %q", got[14].Reason, want)
	}
	if !strings.Contains(got[17].Reason, "removing 1 of 4") {
		t.Errorf("last scale-in reason %q", got[17].Reason)
	}
}

// One high step inside the window blocks scale-in until it leaves it.
func TestObserveScaleInBlockedWhileWindowHoldsHigherNeed(t *testing.T) {
	d := newWeb(t, GroupConfig{ScaleInStabilization: 3 * time.Minute})

	cpus := []float64{18, 60, 18, 18, 18}
	var got []schemas.Decision
	for i, c := range cpus {
		got = append(got, step(t, d, i, c)...)
	}
	got = append(got, d.Flush()...)

	// Needs: 3, 10, 3, 3, 3. Window of 3 is full from step 2 but holds the
	// 10 until step 4.
	for i := range 4 {
		if got[i].Action != schemas.ActionMaintain {
			t.Fatalf("step %d: %s (%s)", i, got[i].Action, got[i].Reason)
		}
	}
	if !strings.Contains(got[3].Reason, "demand reached 6.0 instance-units within the last 3m: at 60% target that needs 10 ≥ 10 running: maintain") {
		t.Errorf("step 3 reason %q", got[3].Reason)
	}
	if got[4].Action != schemas.ActionScaleDown || got[4].Target != 8 {
		t.Errorf("step 4: %s to %d, want scale_down to 8", got[4].Action, got[4].Target)
	}
}

// A step nobody reported is no evidence of low demand: the window restarts.
func TestObserveGapInStepsRestartsStabilisation(t *testing.T) {
	d := newWeb(t, GroupConfig{ScaleInStabilization: 3 * time.Minute})

	var got []schemas.Decision
	for _, i := range []int{0, 1, 3, 4, 5} {
		got = append(got, step(t, d, i, 18)...)
	}
	got = append(got, d.Flush()...)

	for k := range 4 {
		if got[k].Action != schemas.ActionMaintain {
			t.Fatalf("decision %d (%s): %s", k, got[k].Time, got[k].Action)
		}
	}
	if got[4].Action != schemas.ActionScaleDown || !got[4].Time.Equal(at(5)) {
		t.Errorf("step 5: %s, want scale_down", got[4].Action)
	}
}

// Bounds: the need is raised to the minimum and capped at the maximum.
func TestObserveClampsToMinAndMax(t *testing.T) {
	d := newWeb(t, GroupConfig{
		Instances: 6, MinInstances: 5, MaxInstances: 12,
		ScaleInStabilization: time.Nanosecond, MaxScaleInStep: 10,
	})

	step(t, d, 0, 0)
	down := only(t, step(t, d, 1, 100))
	up := only(t, step(t, d, 2, 100))
	again := only(t, d.Flush())

	if down.Action != schemas.ActionScaleDown || down.Target != 5 {
		t.Errorf("idle: %s to %d, want scale_down to min 5 (%s)", down.Action, down.Target, down.Reason)
	}

	// 6 units (the configured 6 instances at 100 %) need 10; then 5 -> 10.
	if up.Action != schemas.ActionScaleUp || up.Current != 5 || up.Target != 10 {
		t.Errorf("busy: %s %d -> %d, want scale_up 5 -> 10", up.Action, up.Current, up.Target)
	}
	if again.Action != schemas.ActionMaintain || again.Target != 10 {
		t.Errorf("still busy: %s to %d", again.Action, again.Target)
	}
}

func TestObserveCapsAtMaxAndSaysSo(t *testing.T) {
	d := newWeb(t, GroupConfig{MaxInstances: 12})

	step(t, d, 0, 100)
	up := only(t, step(t, d, 1, 100))
	held := only(t, d.Flush())

	// 10 units need 17; the cap is 12.
	if up.Action != schemas.ActionScaleUp || up.Target != 12 {
		t.Fatalf("got %s to %d, want scale_up to 12", up.Action, up.Target)
	}
	if !strings.Contains(up.Reason, "needs 17 (capped at max 12) > 10 running") {
		t.Errorf("reason %q", up.Reason)
	}
	if held.Action != schemas.ActionMaintain ||
		!strings.Contains(held.Reason, "needs 17 (capped at max 12) = 12 running: maintain") {
		t.Errorf("at max: %s %q", held.Action, held.Reason)
	}
}

func TestObserveNotReadyMaintainsWithTheReason(t *testing.T) {
	d := newWeb(t, GroupConfig{})

	f := fc("h1", 0, 100, 100, 100)
	f.Ready, f.Model, f.Reason = false, "last_value", "has 3 of 24 steps of history"
	d.Observe(f, 100)
	got := only(t, d.Flush())

	if got.Action != schemas.ActionMaintain || got.Target != 10 || got.Current != 10 {
		t.Fatalf("got %s %d -> %d, want maintain at 10", got.Action, got.Current, got.Target)
	}
	if got.Reason != "not ready: has 3 of 24 steps of history" {
		t.Errorf("reason %q", got.Reason)
	}
	if got.Model != "last_value" || got.HorizonSteps != 0 || got.ForecastPeak != 0 {
		t.Errorf("model %q, horizon %d, peak %g", got.Model, got.HorizonSteps, got.ForecastPeak)
	}
	if !near(got.DemandNow, 10) {
		t.Errorf("demand now %g, want 10", got.DemandNow)
	}
}

// A not-ready step interrupts the evidence of low demand.
func TestObserveNotReadyStepRestartsStabilisation(t *testing.T) {
	d := newWeb(t, GroupConfig{ScaleInStabilization: 3 * time.Minute})

	var got []schemas.Decision
	for i := range 6 {
		f := fc("h1", i, flat(18, 12)...)
		if i == 2 {
			f.Ready, f.Reason = false, "model reloading"
		}
		got = append(got, d.Observe(f, 18)...)
	}
	got = append(got, d.Flush()...)

	for i := range 5 {
		if got[i].Action != schemas.ActionMaintain {
			t.Fatalf("step %d: %s (%s)", i, got[i].Action, got[i].Reason)
		}
	}
	if got[5].Action != schemas.ActionScaleDown {
		t.Errorf("step 5: %s, want scale_down after 3 ready steps", got[5].Action)
	}
}

// Two hosts of one group give one decision per step, from their mean.
func TestObserveAggregatesHostsOfAGroup(t *testing.T) {
	d := newWeb(t, GroupConfig{})

	// Host a sends a one-value forecast, extended with its last value.
	outs := [][]schemas.Decision{
		d.Observe(fc("a", 0, 20), 20),
		d.Observe(fc("b", 0, 40, 100, 40), 40),
		d.Observe(fc("a", 1, 20), 20),
		d.Observe(fc("b", 1, 40, 40, 40), 40),
	}
	last := d.Flush()

	for i, o := range outs {
		if want := i == 2; (o != nil) != want {
			t.Fatalf("observe %d returned %d decisions", i, len(o))
		}
	}
	got := only(t, outs[2])

	// Mean CPU 30 % of 10 instances: 3 units. Mean forecast one step later
	// (20 + 100) / 2 = 60 %: 6 units, exactly 10 instances at 60 %.
	if !got.Time.Equal(at(0)) || !near(got.DemandNow, 3) || !near(got.ForecastPeak, 6) {
		t.Errorf("got time %s demand %g peak %g", got.Time, got.DemandNow, got.ForecastPeak)
	}
	if got.Action != schemas.ActionMaintain || got.Target != 10 {
		t.Errorf("got %s to %d, want maintain at 10", got.Action, got.Target)
	}
	// The horizon is bounded by the longest ready forecast (3 values).
	if got.HorizonSteps != 3 {
		t.Errorf("horizon %d, want 3", got.HorizonSteps)
	}

	if len(last) != 1 || !last[0].Time.Equal(at(1)) || !near(last[0].ForecastPeak, 3) {
		t.Errorf("flush: %+v", last)
	}
}

func TestObserveMixedReadinessUsesFallbackAndNamesBothModels(t *testing.T) {
	d := newWeb(t, GroupConfig{})

	// The fallback reaches further than the ready forecast; only the ready
	// length counts, so its 100 % three steps ahead is not looked at.
	cold := fc("b", 0, 90, 90, 100)
	cold.Ready, cold.Model, cold.Reason = false, "last_value", "has 2 of 24 steps"
	d.Observe(fc("a", 0, 30), 30)
	d.Observe(cold, 90)
	got := only(t, d.Flush())

	// Mean of 30 and 90 is 60 %: 6 units, 10 instances.
	if got.Model != "last_value+lstm-v1" || !near(got.ForecastPeak, 6) || got.HorizonSteps != 1 {
		t.Errorf("model %q peak %g horizon %d", got.Model, got.ForecastPeak, got.HorizonSteps)
	}
}

func TestObserveGroupsAreIndependentAndUnknownUseDefault(t *testing.T) {
	d, err := New(Config{
		Groups:    map[string]GroupConfig{"web": {}},
		Default:   GroupConfig{Instances: 4},
		WaitSteps: -1,
	})
	if err != nil {
		t.Fatal(err)
	}

	api := func(i int) schemas.Forecast {
		f := fc("x", i, flat(90, 12)...)
		f.Group = "api"
		return f
	}
	d.Observe(fc("h1", 0, flat(90, 12)...), 90)
	d.Observe(api(0), 90)
	web := only(t, d.Observe(fc("h1", 1, flat(90, 12)...), 90))
	apiDec := only(t, d.Observe(api(1), 90))

	// web: 9 units -> 15; api (default, 4 instances): 3.6 units -> 6.
	if web.Group != "web" || web.Target != 15 {
		t.Errorf("web: %+v", web)
	}
	if apiDec.Group != "api" || apiDec.Current != 4 || apiDec.Target != 6 {
		t.Errorf("api: %+v", apiDec)
	}

	flushed := d.Flush()
	if len(flushed) != 2 || flushed[0].Group != "api" || flushed[1].Group != "web" {
		t.Errorf("flush not one per group sorted: %+v", flushed)
	}
}

func TestObserveDropsLateAndInvalidForecasts(t *testing.T) {
	d := newWeb(t, GroupConfig{})

	step(t, d, 1, 30)
	// An earlier step that is not decided yet is still taken.
	if out := step(t, d, 0, 30); len(out) != 1 || !out[0].Time.Equal(at(0)) {
		t.Errorf("earlier undecided step gave %+v, want its decision", out)
	}
	d.Flush()
	if out := step(t, d, 1, 30); out != nil {
		t.Errorf("forecast for a decided step emitted %+v", out)
	}
	if out := step(t, d, 0, 30); out != nil {
		t.Errorf("forecast for a decided step emitted %+v", out)
	}
	if out := d.Observe(fc("h1", 2, math.NaN()), 30); out != nil {
		t.Errorf("NaN forecast emitted %+v", out)
	}
	d.Observe(fc("h1", 2, 30), math.Inf(1))

	if s := d.Stats(); s.Late != 2 || s.Invalid != 2 {
		t.Errorf("stats %+v, want 2 late, 2 invalid", s)
	}
	if out := d.Flush(); out != nil {
		t.Errorf("dropped forecasts opened a step: %+v", out)
	}
}

func TestObserveClipsCPUAbove100(t *testing.T) {
	d := newWeb(t, GroupConfig{})

	d.Observe(fc("h1", 0, 112, 150), 112)
	got := only(t, d.Flush())

	if !near(got.DemandNow, 10) || !near(got.ForecastPeak, 10) {
		t.Errorf("demand %g peak %g, want both clipped to 10", got.DemandNow, got.ForecastPeak)
	}
}

// Preview decisions are the ones enforce would send, marked preview.
func TestObservePreviewFollowsItsOwnRecommendations(t *testing.T) {
	d := newWeb(t, GroupConfig{Mode: schemas.ModePreview})

	step(t, d, 0, 100)
	first := only(t, step(t, d, 1, 100))
	second := only(t, d.Flush())

	if first.Mode != schemas.ModePreview || first.Target != 17 {
		t.Errorf("first: %+v", first)
	}
	if second.Current != 17 || second.Action != schemas.ActionMaintain {
		t.Errorf("second: current %d action %s", second.Current, second.Action)
	}
}

// Observe and Flush may be called from several goroutines (run with -race).
func TestObserveConcurrentGroups(t *testing.T) {
	d, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}

	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for g := range 4 {
		wg.Go(func() {
			n := 0
			for i := range 50 {
				f := fc("h", i, flat(40, 12)...)
				f.Group = fmt.Sprintf("g%d", g)
				n += len(d.Observe(f, 40))
			}
			mu.Lock()
			total += n
			mu.Unlock()
		})
	}
	wg.Wait()
	total += len(d.Flush())

	if total != 4*50 {
		t.Errorf("got %d decisions, want one per group and step: 200", total)
	}
}

// A blended forecast carries the model's own values too: capacity is sized
// from those, since the blend damps the rises the model sees coming.
func TestObserveSizesFromTheModelsOwnForecast(t *testing.T) {
	d := newWeb(t, GroupConfig{})

	f := fc("h1", 0, flat(30, 12)...) // blended: no change
	f.ModelValues = []float64{30, 30, 30, 30, 30, 95, 30, 30, 30, 30, 30, 30}
	d.Observe(f, 30)
	got := only(t, step(t, d, 1, 30))

	if got.Target != 16 || !near(got.ForecastPeak, 9.5) {
		t.Fatalf("target %d from peak %g, want 16 from the model's 9.5: %s", got.Target, got.ForecastPeak, got.Reason)
	}
}
