package decision

import (
	"testing"
	"time"

	"github.com/scalora/scalora/schemas"
)

func TestUpdateGroupAppliesNewBoundsAndTargetLive(t *testing.T) {
	d := newWeb(t, GroupConfig{})

	// 10 instances at 30 % need 5 at the default 60 % target.
	step(t, d, 0, 30)
	before := only(t, step(t, d, 1, 30))
	if before.Target != 10 {
		t.Fatalf("before the update: target %d, want 10 (scale-in still stabilising)", before.Target)
	}

	// A higher floor and a lower target utilisation: 3 units at 30 % need 10,
	// and the floor of 12 lifts it.
	if err := d.UpdateGroup(GroupConfig{Name: "web", TargetUtilization: 0.3, MinInstances: 12, Instances: 12}); err != nil {
		t.Fatal(err)
	}
	after := only(t, step(t, d, 2, 30))
	if after.Target != 12 || after.Action != schemas.ActionScaleUp {
		t.Fatalf("after the update: %s to %d, want scale_up to 12 (min_instances)", after.Action, after.Target)
	}
}

func TestUpdateGroupRefusesAnInvalidConfigAndKeepsTheOld(t *testing.T) {
	d := newWeb(t, GroupConfig{})
	step(t, d, 0, 30)

	err := d.UpdateGroup(GroupConfig{Name: "web", MinInstances: 9, MaxInstances: 3})
	if err == nil {
		t.Fatal("min above max accepted")
	}
	if got := only(t, step(t, d, 1, 30)); got.Current != 10 {
		t.Fatalf("a refused update changed the group: %+v", got)
	}
}

func TestUpdateGroupWithALongerBootTimeKeepsPendingStepsUsable(t *testing.T) {
	d := newWeb(t, GroupConfig{})
	d.Observe(fc("h1", 0, flat(30, 12)...), 30)

	if err := d.UpdateGroup(GroupConfig{Name: "web", BootTime: 30 * time.Minute}); err != nil {
		t.Fatal(err)
	}
	got := only(t, step(t, d, 1, 30))
	if got.HorizonSteps != 12 {
		t.Fatalf("horizon %d, want the whole 12-step forecast once boot time needs 31 steps", got.HorizonSteps)
	}
}
