package decision

import (
	"testing"

	"github.com/scalora/scalora/schemas"
)

// newWaiting returns a Decider for group "web" (10 instances) that waits
// wait steps for its hosts.
func newWaiting(t *testing.T, wait int) *Decider {
	t.Helper()
	d, err := New(Config{Groups: map[string]GroupConfig{"web": {}}, WaitSteps: wait})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// report feeds host's step i at cpu (flat forecast) and collects decisions.
func report(d *Decider, out *[]schemas.Decision, host string, i int, cpu float64) {
	*out = append(*out, d.Observe(fc(host, i, flat(cpu, 12)...), cpu)...)
}

// checkEveryStepOnce asserts decisions for steps 0..n-1, in order, each
// with demand from both hosts (a at 20 %, b at 40 %: 3 units of 10).
func checkEveryStepOnce(t *testing.T, got []schemas.Decision, n int) {
	t.Helper()
	if len(got) != n {
		t.Fatalf("%d decisions, want %d", len(got), n)
	}
	for i, d := range got {
		if !d.Time.Equal(at(i)) {
			t.Fatalf("decision %d is for %s, want %s", i, d.Time, at(i))
		}
		if !near(d.DemandNow, 3) {
			t.Fatalf("step %d decided on demand %g, want 3 (both hosts)", i, d.DemandNow)
		}
	}
}

func TestStepIsDecidedOnceEveryKnownHostReportedIt(t *testing.T) {
	d := newWaiting(t, 4)
	var out []schemas.Decision

	for i := range 10 {
		report(d, &out, "a", i, 20)
		report(d, &out, "b", i, 40)
	}
	// Steps 0..4 wait for the group to be known (4 steps); after that each
	// step is decided as soon as b, its last host, reports it.
	checkEveryStepOnce(t, out, 10)
	if s := d.Stats(); s.Late != 0 {
		t.Fatalf("%d late forecasts", s.Late)
	}
}

// A host whose partition is consumed a few steps behind another's still
// counts in every step: the group waits for it.
func TestLaggingHostStillCountsWithinTheWait(t *testing.T) {
	d := newWaiting(t, 12)
	var out []schemas.Decision

	const lag = 5
	for i := range 40 + lag {
		if i < 40 {
			report(d, &out, "a", i, 20)
		}
		if i >= lag {
			report(d, &out, "b", i-lag, 40)
		}
	}
	checkEveryStepOnce(t, out, 40)
}

func TestSilentHostLeavesTheGroupAfterTheWait(t *testing.T) {
	d := newWaiting(t, 3)
	var out []schemas.Decision

	for i := range 10 {
		report(d, &out, "a", i, 20)
		report(d, &out, "b", i, 40)
	}
	decidedWithB := len(out)

	// b goes silent: step 10 waits 3 steps for it, then b leaves and
	// every later step is decided as soon as a reports it.
	for i := 10; i < 20; i++ {
		report(d, &out, "a", i, 20)
		if i == 12 && len(out) != decidedWithB {
			t.Fatalf("step 10 decided before the 3-step wait ran out")
		}
	}
	if len(out) != 20 {
		t.Fatalf("%d decisions after b left, want 20", len(out))
	}
	last := out[len(out)-1]
	if !last.Time.Equal(at(19)) || !near(last.DemandNow, 2) {
		t.Fatalf("last decision %s demand %g, want step 19 from a alone (2 units)", last.Time, last.DemandNow)
	}
}
