package simulate

import (
	"testing"
	"time"

	"github.com/scalora/scalora/stages/decision"
)

// Worked example: 10 static instances on 5-minute steps, 15m stabilisation
// (3 steps), $0.1 an hour. 30 % is 3 units, needing 5 at 60 %; 20 % needs 4;
// 90 % needs 15, more than run. Steps 1-4 have excess 5, 5, 6, 5: one
// opportunity of 5 instances for 20 minutes, 5 × 4 × 5/60 = 1.667
// instance-hours, $0.1667. Steps 6-7 are only 10 minutes: not reported.
func TestOpportunitiesOnAWorkedHistory(t *testing.T) {
	g := group(decision.GroupConfig{})
	w := workload(90, 30, 30, 20, 30, 90, 30, 30, 90)
	got := Opportunities(w, Static(w.Len(), 10), demands(w, 10), g, 0.1)

	if len(got) != 1 {
		t.Fatalf("got %d opportunities, want 1: %+v", len(got), got)
	}
	o := got[0]
	if !o.Start.Equal(t0.Add(5*time.Minute)) || !o.End.Equal(t0.Add(25*time.Minute)) || o.Steps != 4 {
		t.Errorf("interval %s-%s (%d steps), want 10:05-10:25 (4)", o.Start, o.End, o.Steps)
	}
	if o.Removable != 5 || o.MaxRunning != 10 || o.MaxNeeded != 5 {
		t.Errorf("removable %d running %d needed %d, want 5, 10, 5", o.Removable, o.MaxRunning, o.MaxNeeded)
	}
	if !near(o.InstanceHours, 5*4*5/60.0) || !near(o.CostUSD, 0.1*5*4*5/60.0) {
		t.Errorf("instance-hours %g cost %g, want 1.6667 and 0.16667", o.InstanceHours, o.CostUSD)
	}
}

// A 10-minute stabilisation is 2 steps: steps 6-7 now count too.
func TestOpportunitiesFollowTheStabilisationWindow(t *testing.T) {
	g := group(decision.GroupConfig{ScaleInStabilization: 10 * time.Minute})
	w := workload(90, 30, 30, 20, 30, 90, 30, 30, 90)
	got := Opportunities(w, Static(w.Len(), 10), demands(w, 10), g, 0.1)

	if len(got) != 2 || got[1].Steps != 2 || got[1].Removable != 5 {
		t.Fatalf("got %+v, want a second opportunity of 2 steps and 5 instances", got)
	}
}
