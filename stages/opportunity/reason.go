package opportunity

import (
	"fmt"
	"time"

	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/stages/decision"
)

// reason says in words why iv's instances stayed, e.g. "preview mode: 3
// of up to 10 instances idle for 2h0m0s (demand needed at most 7); the
// recommendations were not applied".
func reason(iv *interval, g *decision.GroupConfig) string {
	idle := fmt.Sprintf("%d of up to %d instances idle for %s (demand needed at most %d)",
		iv.removable, iv.maxRunning, iv.end.Sub(iv.start), iv.maxNeeded)

	var why string
	switch {
	case iv.maxNeeded < g.MinInstances:
		why = fmt.Sprintf("min_instances %d is above the need", g.MinInstances)
	case iv.mode == schemas.ModePreview:
		why = "the recommendations were not applied"
	default:
		// Longer than the damping alone explains (see minSteps): the
		// forecast kept expecting more demand, or the demand kept
		// rising back within the stabilisation window.
		why = fmt.Sprintf("longer than the %s stabilisation window and the max scale-in step of %d explain: "+
			"the forecast or short rises of demand kept the instances",
			g.ScaleInStabilization.Round(time.Second), g.MaxScaleInStep)
	}
	return fmt.Sprintf("%s mode: %s; %s", iv.mode, idle, why)
}
