package opportunity

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/stages/decision"
)

var t0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

const price = 0.096 // $/h of one instance

// newDetector has one group "web" in mode, with 10 static instances, a
// 50 % target, a floor of 2 and a 15-minute (3-step) stabilisation.
func newDetector(t *testing.T, mode schemas.Mode) *Detector {
	t.Helper()
	cfg := decision.Config{Step: 5 * time.Minute, Groups: map[string]decision.GroupConfig{
		"web": {Instances: 10, MinInstances: 2, MaxInstances: 20, TargetUtilization: 0.5,
			ScaleInStabilization: 15 * time.Minute, Mode: mode},
	}}
	d, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// step feeds one step of group web at index i: demand in instance units,
// decided the count Scalora recommended (the cost stage's target).
func step(d *Detector, i int, demand float64, decided int, mode schemas.Mode) []schemas.Opportunity {
	ts := t0.Add(time.Duration(i) * 5 * time.Minute)
	dec := schemas.Decision{Group: "web", Time: ts, DemandNow: demand, Mode: mode, Current: decided, Target: decided}
	c := schemas.Cost{Group: "web", Time: ts, Provider: "aws", InstanceType: "m5.large", PricePerHour: price,
		StepSeconds: 300, StaticInstances: 10, DecidedInstances: decided}
	return d.Observe(dec, c)
}

// feed runs demands from index from and collects what is reported.
func feed(d *Detector, from int, demands []float64, decided []int, mode schemas.Mode) []schemas.Opportunity {
	var out []schemas.Opportunity
	for i, v := range demands {
		out = append(out, step(d, from+i, v, decided[i], mode)...)
	}
	return out
}

func repeat[T any](v T, n int) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = v
	}
	return out
}

func TestPreviewExcessOverTheWindowIsReportedWhenItEnds(t *testing.T) {
	d := newDetector(t, schemas.ModePreview)
	// 2 steps at full need, 6 steps needing 4 or 3 (excess 6 or 7), then
	// full need again: one interval of 6 steps, 6 removable.
	demands := []float64{5, 5, 2, 1.5, 2, 2, 1.2, 2, 5}
	got := feed(d, 0, demands, repeat(10, len(demands)), schemas.ModePreview)
	if len(got) != 1 {
		t.Fatalf("got %d opportunities, want 1: %+v", len(got), got)
	}

	o := got[0]
	if o.Group != "web" || !o.Start.Equal(t0.Add(10*time.Minute)) || !o.End.Equal(t0.Add(40*time.Minute)) {
		t.Errorf("interval %s %s..%s, want web 10:10..10:40", o.Group, o.Start, o.End)
	}
	// 6 removable for 30 minutes is 3 instance-hours.
	if o.Removable != 6 || o.InstanceHours != 3 || math.Abs(o.Dollars-3*price) > 1e-12 {
		t.Errorf("removable %d, hours %g, dollars %g; want 6, 3, %g", o.Removable, o.InstanceHours, o.Dollars, 3*price)
	}
	if o.Provider != "aws" || o.InstanceType != "m5.large" {
		t.Errorf("provider, type = %s, %s", o.Provider, o.InstanceType)
	}
	if !strings.HasPrefix(o.Reason, "preview mode: 6 of up to 10 instances idle for 30m0s (demand needed at most 4)") ||
		!strings.Contains(o.Reason, "not applied") {
		t.Errorf("reason %q", o.Reason)
	}
	if rest := d.Flush(); len(rest) != 0 {
		t.Errorf("flush after the interval ended reported %+v", rest)
	}
}

func TestExcessShorterThanTheWindowIsNotReported(t *testing.T) {
	d := newDetector(t, schemas.ModePreview)
	got := feed(d, 0, []float64{5, 1, 1, 5, 1, 1}, repeat(10, 6), schemas.ModePreview)
	got = append(got, d.Flush()...)
	if len(got) != 0 {
		t.Fatalf("two-step excesses under a 3-step window reported: %+v", got)
	}
}

func TestFlushReportsTheOpenInterval(t *testing.T) {
	d := newDetector(t, schemas.ModePreview)
	if got := feed(d, 0, repeat(1.0, 4), repeat(10, 4), schemas.ModePreview); len(got) != 0 {
		t.Fatalf("open interval reported before it ended: %+v", got)
	}
	got := d.Flush()
	if len(got) != 1 || got[0].Removable != 8 || !got[0].End.Equal(t0.Add(20*time.Minute)) {
		t.Fatalf("flush gave %+v, want one interval 10:00..10:20 with 8 removable", got)
	}
}

func TestEnforceModeCountsWhatScaloraDecided(t *testing.T) {
	d := newDetector(t, schemas.ModeEnforce)
	// Demand drops to need 2; Scalora holds 10 for three steps, then
	// removes 2 a step. Excess 8, 8, 8, 6, 4, 2, then 0.
	decided := []int{10, 10, 10, 8, 6, 4, 2}
	got := feed(d, 0, repeat(1.0, len(decided)), decided, schemas.ModeEnforce)
	if len(got) != 1 {
		t.Fatalf("got %+v, want one interval", got)
	}
	o := got[0]
	if o.Removable != 2 || o.InstanceHours != 1 || !strings.Contains(o.Reason, "stabilisation window") {
		t.Errorf("got removable %d, hours %g, reason %q; want 2 over 30m (1 instance-hour), held back",
			o.Removable, o.InstanceHours, o.Reason)
	}
}

func TestFloorAboveTheNeedIsNamedInTheReason(t *testing.T) {
	d := newDetector(t, schemas.ModeEnforce)
	// Demand needs 1; Scalora may not go under the floor of 2.
	feed(d, 0, repeat(0.2, 5), repeat(2, 5), schemas.ModeEnforce)
	got := d.Flush()
	if len(got) != 1 || got[0].Removable != 1 || !strings.Contains(got[0].Reason, "min_instances 2 is above the need") {
		t.Fatalf("got %+v", got)
	}
}

func TestGapInStepsEndsTheInterval(t *testing.T) {
	d := newDetector(t, schemas.ModePreview)
	feed(d, 0, repeat(1.0, 3), repeat(10, 3), schemas.ModePreview)
	// Index 5: two steps missing. The first interval (3 steps) ends.
	got := step(d, 5, 1, 10, schemas.ModePreview)
	if len(got) != 1 || !got[0].End.Equal(t0.Add(15*time.Minute)) {
		t.Fatalf("gap reported %+v, want the interval ending 10:15", got)
	}
	got = d.Flush()
	if len(got) != 0 {
		t.Errorf("a one-step interval after the gap was reported: %+v", got)
	}
}

func TestReplayReportsTheSameIntervals(t *testing.T) {
	d := newDetector(t, schemas.ModePreview)
	demands := []float64{5, 1, 1, 1, 1, 5, 1, 1, 1}
	first := append(feed(d, 0, demands, repeat(10, 9), schemas.ModePreview), d.Flush()...)

	// The same input again, as after a crash: the detector notices time
	// went back and rebuilds the intervals with the same natural keys.
	again := feed(d, 0, demands, repeat(10, 9), schemas.ModePreview)
	again = append(again, d.Flush()...)
	if len(first) != 2 || len(again) != 2 {
		t.Fatalf("first %d, replay %d intervals, want 2 and 2", len(first), len(again))
	}
	for i := range first {
		if first[i] != again[i] {
			t.Errorf("interval %d: first %+v, replay %+v", i, first[i], again[i])
		}
	}
}

func TestReplayDiscardsTheOpenInterval(t *testing.T) {
	d := newDetector(t, schemas.ModePreview)
	feed(d, 0, repeat(1.0, 5), repeat(10, 5), schemas.ModePreview)
	// Replay from index 3 with full demand: the open interval 0..5 is
	// dropped, not reported with a wrong end.
	got := feed(d, 3, []float64{5, 5}, repeat(10, 2), schemas.ModePreview)
	got = append(got, d.Flush()...)
	if len(got) != 0 {
		t.Fatalf("got %+v, want nothing", got)
	}
}
