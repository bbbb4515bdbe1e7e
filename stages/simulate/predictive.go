package simulate

import (
	"time"

	"github.com/scalora/scalora/stages/decision"
)

// Predictive applies the targets Scalora decided, one per step of length
// step, to a fleet of group g that starts with g.Instances running. targets[i] is the decision made when
// step i closed (from data up to step i), so it cannot change step i
// itself: a scale-in takes effect from step i+1, and added instances serve
// from step i+1+ceil(boot/step), exactly as for the reactive policy. The
// decider leads by the boot time so that this delay is covered when its
// forecast is right; the simulation does not grant it instant capacity.
//
// It returns the instances serving each step.
func Predictive(targets []int, g decision.GroupConfig, step time.Duration) []int {
	f := newFleet(g.Instances, g.BootTime, step)
	out := make([]int, len(targets))
	for i, t := range targets {
		out[i] = f.running(i)
		f.order(i, t)
	}
	return out
}
