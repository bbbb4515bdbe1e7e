package decision

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas"
)

// newTestHeadroom returns a record of window steps for lead lead at
// quantile q, for a group of at most 20 instances.
func newTestHeadroom(q float64, lead int, window time.Duration) headroom {
	cfg := GroupConfig{HeadroomQuantile: q, HeadroomWindow: window, MaxInstances: 20}
	return newHeadroom(&cfg, lead, time.Minute)
}

// Worked example of the quantile: ten shortfalls 0 0 0 0 0 0 0 0 1 3. At
// q = 0.9 one of ten (floor(0.1 × 10)) may exceed the reserve, so it is 1;
// at q = 0.95 none may (floor(0.5) = 0), so it is 3. Ten more zeros push
// the misses out of the window and the reserve falls to 0.
func TestHeadroomReserveIsTheQuantileOfRecentShortfalls(t *testing.T) {
	for _, tc := range []struct {
		q    float64
		want int
	}{{0.9, 1}, {0.95, 3}, {0.5, 0}} {
		h := newTestHeadroom(tc.q, 2, 10*time.Minute)
		for _, s := range []int{0, 0, 0, 0, 0, 0, 0, 0, 1, 3} {
			h.record(s)
		}
		if got := h.reserve(); got != tc.want {
			t.Errorf("q %g: reserve %d, want %d", tc.q, got, tc.want)
		}
		for range 10 {
			h.record(0)
		}
		if got := h.reserve(); got != 0 {
			t.Errorf("q %g: reserve %d after the misses left the window, want 0", tc.q, got)
		}
	}
}

// Regression: 0.1 × 10 is 0.9999999999999998 in float64, and a bare
// math.Floor let no shortfall exceed the p90 reserve of ten.
func TestHeadroomQuantileSurvivesFloatRounding(t *testing.T) {
	h := newTestHeadroom(0.9, 2, 10*time.Minute)
	for _, s := range []int{0, 0, 0, 0, 0, 0, 0, 0, 0, 5} {
		h.record(s)
	}
	if got := h.reserve(); got != 0 {
		t.Fatalf("reserve %d, want 0: one shortfall in ten is the 10 %% allowed", got)
	}
}

// Worked example of a shortfall at the lead time (lead 2): the base needs
// decided at steps 0..3 are 5, 5, 5, 8. Step 2's demand 6.2 exceeds step
// 0's need by 1.2, a shortfall of 2 instances; step 3's demand 4 is within
// step 1's need (0); step 4's 12.5 exceeds step 2's 5 by 7.5 (8).
func TestHeadroomMeasuresShortfallAgainstTheNeedDecidedOneLeadEarlier(t *testing.T) {
	h := newTestHeadroom(0.95, 2, time.Hour)
	steps := []struct {
		demand float64
		base   int
	}{{3, 5}, {3, 5}, {6.2, 5}, {4, 8}, {12.5, 8}}
	for i, s := range steps {
		h.observe(at(i), time.Minute, s.demand, s.base)
	}

	if h.n != 3 || h.counts[2] != 1 || h.counts[0] != 1 || h.counts[8] != 1 {
		t.Fatalf("recorded %d shortfalls, counts %v; want 0, 2 and 8", h.n, h.counts)
	}
	if got := h.reserve(); got != 8 {
		t.Errorf("reserve %d, want 8 (no shortfall may exceed it at 95 %% of 3)", got)
	}
}

// A gap in the steps restarts the lead (the need decided before the gap
// is not the one a step after it lived with), but keeps the record.
func TestHeadroomGapRestartsTheLeadNotTheRecord(t *testing.T) {
	h := newTestHeadroom(0.95, 2, time.Hour)
	h.observe(at(0), time.Minute, 3, 5)
	h.observe(at(1), time.Minute, 3, 5)
	h.observe(at(2), time.Minute, 7, 5) // shortfall 2
	h.observe(at(5), time.Minute, 20, 5)
	h.observe(at(6), time.Minute, 20, 5)

	if h.n != 1 || h.reserve() != 2 {
		t.Fatalf("%d shortfalls, reserve %d; want the 2 from before the gap only", h.n, h.reserve())
	}
}

// Shortfalls beyond MaxInstances are counted at MaxInstances, so the
// histogram needs no growing.
func TestHeadroomShortfallIsCappedAtMaxInstances(t *testing.T) {
	h := newTestHeadroom(0.95, 1, time.Hour)
	h.observe(at(0), time.Minute, 1, 1)
	h.observe(at(1), time.Minute, 500, 1)

	if got := h.reserve(); got != 20 {
		t.Fatalf("reserve %d, want the cap 20", got)
	}
}

// Worked example through the Decider: 1m boot (lead 2), 3m stabilisation,
// q 0.95 over 10m. Demand is 3 units (need 5) and forecast flat at 30 %,
// except step 6, whose demand jumps to 9 (need 15): the need of step 4
// was 5, so step 6 records a shortfall of 4 and the reserve becomes 4.
//
// Step 6 scales out to 15, not 19: the reserve is never ordered. Steps 7
// and 8 keep 15 while the 9 is in the window. Step 9 scales in, but only
// to 5 + 4 = 9, and says why; step 10 keeps 9. Without a reserve (q < 0)
// step 9 goes down to 5.
func TestObserveKeepsTheReserveOnScaleInButNeverOrdersIt(t *testing.T) {
	run := func(q float64) []schemas.Decision {
		d := newWeb(t, GroupConfig{
			BootTime: time.Minute, ScaleInStabilization: 3 * time.Minute, MaxScaleInStep: 10,
			HeadroomQuantile: q, HeadroomWindow: 10 * time.Minute,
		})
		var got []schemas.Decision
		for i := range 11 {
			cpu := 30.0
			if i == 6 {
				cpu = 90
			}
			got = append(got, d.Observe(fc("h1", i, flat(30, 12)...), cpu)...)
		}
		return append(got, d.Flush()...)
	}

	got := run(0.95)
	want := []struct {
		action schemas.Action
		target int
	}{
		{schemas.ActionMaintain, 10}, {schemas.ActionMaintain, 10}, {schemas.ActionScaleDown, 5},
		{schemas.ActionMaintain, 5}, {schemas.ActionMaintain, 5}, {schemas.ActionMaintain, 5},
		{schemas.ActionScaleUp, 15}, {schemas.ActionMaintain, 15}, {schemas.ActionMaintain, 15},
		{schemas.ActionScaleDown, 9}, {schemas.ActionMaintain, 9},
	}
	if len(got) != len(want) {
		t.Fatalf("%d decisions, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i].Action != w.action || got[i].Target != w.target {
			t.Errorf("step %d: %s to %d, want %s to %d (%s)", i, got[i].Action, got[i].Target, w.action, w.target, got[i].Reason)
		}
	}

	const source = "95th percentile of the last 10m's shortfalls"
	reasons := map[int]string{
		6: "current demand 9.0 instance-units at 60% target needs 15 > 5 running: scale up",
		7: "demand reached 9.0 instance-units within the last 3m: at 60% target that needs 15, " +
			"and 4 more are kept for forecast misses (" + source + ") ≥ 15 running: maintain",
		9: "demand stayed ≤ 3.0 instance-units for 3m: at 60% target that needs 5, " +
			"and 4 more are kept for forecast misses (" + source + "); removing 6 of 15: scale down",
		10: "forecast peak 3.0 instance-units within 2m at 60% target needs 5 < 9 running, " +
			"but 4 more are kept for forecast misses (" + source + "): maintain",
	}
	for i, want := range reasons {
		if got[i].Reason != want {
			t.Errorf("step %d reason %q\nwant %q", i, got[i].Reason, want)
		}
	}

	if off := run(-1); off[9].Action != schemas.ActionScaleDown || off[9].Target != 5 {
		t.Errorf("without a reserve step 9: %s to %d, want scale_down to 5 (%s)", off[9].Action, off[9].Target, off[9].Reason)
	}
}

// Regression: the stabilisation window held the forecast peaks of its
// steps, so a forecast rise that never came blocked scale-in for the whole
// window after demand had been measured low. Step 0 forecasts 90 % for
// step 1 (need 15) and scales out; steps 0..2 measure 30 % (need 5), so
// step 2, with a full 3m window of measured demand, scales in.
func TestObserveScaleInGoesOnMeasuredDemandNotStaleForecasts(t *testing.T) {
	d := newWeb(t, GroupConfig{
		BootTime: time.Minute, ScaleInStabilization: 3 * time.Minute, MaxScaleInStep: 10,
		HeadroomQuantile: -1,
	})
	var got []schemas.Decision
	got = append(got, d.Observe(fc("h1", 0, append([]float64{90}, flat(30, 11)...)...), 30)...)
	for i := 1; i < 4; i++ {
		got = append(got, step(t, d, i, 30)...)
	}

	if got[0].Action != schemas.ActionScaleUp || got[0].Target != 15 {
		t.Fatalf("step 0: %s to %d, want scale_up to 15 (%s)", got[0].Action, got[0].Target, got[0].Reason)
	}
	want := "demand stayed ≤ 3.0 instance-units for 3m: at 60% target that needs 5; removing 10 of 15: scale down"
	if got[2].Action != schemas.ActionScaleDown || got[2].Target != 5 || got[2].Reason != want {
		t.Fatalf("step 2: %s to %d (%q), want scale_down to 5 (%q)", got[2].Action, got[2].Target, got[2].Reason, want)
	}
}

func TestHeadroomConfigIsValidated(t *testing.T) {
	for _, tc := range []struct {
		g    GroupConfig
		want string
	}{
		{GroupConfig{HeadroomQuantile: 1}, "headroom_quantile 1 is not below 1"},
		{GroupConfig{HeadroomQuantile: math.NaN()}, "headroom_quantile NaN"},
		{GroupConfig{HeadroomWindow: -time.Minute}, "headroom_window -1m0s is negative"},
	} {
		tc.g.SetDefaults()
		err := tc.g.Validate()
		if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want %q", tc.g, err, tc.want)
		}
	}

	_, err := New(Config{Step: time.Second, Default: GroupConfig{HeadroomWindow: 48 * time.Hour}})
	if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), "more than 100000 steps of 1s") {
		t.Errorf("a window of 172800 steps: error %v", err)
	}
	if _, err := New(Config{Step: time.Second, Default: GroupConfig{HeadroomWindow: 48 * time.Hour, HeadroomQuantile: -1}}); err != nil {
		t.Errorf("no reserve keeps no record, so any window is fine: %v", err)
	}
}

func TestOrdinalNamesPercentiles(t *testing.T) {
	for q, want := range map[float64]string{0.95: "95th", 0.9: "90th", 0.99: "99th", 0.5: "50th", 0.999: "99.9th", 0.01: "1st", 0.22: "22nd", 0.13: "13th"} {
		if got := ordinal(q); got != want {
			t.Errorf("ordinal(%g) = %q, want %q", q, got, want)
		}
	}
}

// The record is a ring and a histogram sized when the group is first
// seen: observing a step and looking up the reserve allocate nothing.
func TestHeadroomStepDoesNotAllocate(t *testing.T) {
	h := newTestHeadroom(0.98, 6, time.Hour)
	i := 0
	allocs := testing.AllocsPerRun(1000, func() {
		h.observe(at(i), time.Minute, float64(i%13), 5)
		_ = h.reserve()
		i++
	})
	if allocs != 0 {
		t.Fatalf("%g allocations per step, want 0", allocs)
	}
}
