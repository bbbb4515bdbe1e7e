// Package cost puts a dollar figure on every decision: what the group would
// have cost over the step at its static instance count, what it costs at the
// decided count, and the difference.
//
// Prices come from a catalog of on-demand list prices (prices.yaml, embedded)
// that users can overlay with their own file, or from a group's
// cost_per_hour. Savings are computed from the capacity a decision removes,
// never from a flat percentage; preview-mode decisions are costed the same
// way, as what would have been saved.
package cost
