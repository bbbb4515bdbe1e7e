package simulate

import (
	"math"

	"github.com/scalora/scalora/stages/decision"
)

// ceilSlack absorbs floating-point error before rounding up, as the
// decision stage does: 8.4 instance-units at 60 % need 14, not 15.
const ceilSlack = 1e-9

// need returns the instances demand needs at the group's target
// utilisation, ceil(demand / target), clamped to the group's bounds: the
// capacity math of the decision stage applied to a known demand.
func need(demand float64, g *decision.GroupConfig) int {
	n := int(math.Ceil(demand/g.TargetUtilization - ceilSlack))
	return min(max(n, g.MinInstances), g.MaxInstances)
}
