package simulate

import "github.com/scalora/scalora/stages/decision"

// Ideal runs, at every step, exactly the instances that step's demand needs
// at the target utilisation (see need), with no boot delay and no
// stabilisation: a policy that knows the future and scales for free. It is
// not achievable; it bounds what any policy can save at that target and is
// reported only as a reference.
func Ideal(demand []float64, g decision.GroupConfig) []int {
	out := make([]int, len(demand))
	for i, d := range demand {
		out[i] = need(d, &g)
	}
	return out
}
