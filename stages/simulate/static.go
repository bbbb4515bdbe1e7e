package simulate

// Static runs the group's configured count at every step: what the group
// does without any autoscaler, and the baseline of the savings.
func Static(steps, instances int) []int {
	out := make([]int, steps)
	for i := range out {
		out[i] = instances
	}
	return out
}
