package simulate

import (
	"time"

	"github.com/scalora/scalora/stages/decision"
)

// Opportunity is a missed scale-down: an interval in which the running
// count exceeded what demand needed, for at least the stabilisation window,
// so that Removable instances could have been stopped throughout.
type Opportunity struct {
	// Start is the start of the interval's first step; End the end of its
	// last step (exclusive). Steps is its length in steps.
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	Steps int       `json:"steps"`

	// MaxRunning is the most instances running in the interval; MaxNeeded
	// the most that its demand needed at the target utilisation.
	MaxRunning int `json:"max_running"`
	MaxNeeded  int `json:"max_needed"`

	// Removable is how many instances could have been stopped for the whole
	// interval: the smallest excess (running − needed) of its steps.
	Removable int `json:"removable"`

	// InstanceHours is Removable × the interval's length in hours; CostUSD
	// is that at the group's price.
	InstanceHours float64 `json:"instance_hours"`
	CostUSD       float64 `json:"cost_usd"`
}

// Opportunities finds the missed scale-downs of a history in which
// running[i] instances served demand[i] (instance units) over w's steps:
// the maximal runs of consecutive steps whose running count exceeded
// need(demand) (see need: the target utilisation and the group's bounds)
// and that last at least g.ScaleInStabilization, the window Scalora waits
// before removing anything.
//
// It is conservative: an interval counts one Removable for its whole
// length, so an interval whose excess dips briefly to 1 reports 1 even
// where more was idle around the dip. The scale-in step limit is not
// applied, since the removable instances would have left over several
// steps well within the interval's length.
func Opportunities(w *Workload, running []int, demand []float64, g decision.GroupConfig, price float64) []Opportunity {
	window := max(1, bootSteps(g.ScaleInStabilization, w.Step))

	var out []Opportunity
	for i := 0; i < len(running); {
		if running[i] <= need(demand[i], &g) {
			i++
			continue
		}

		o := Opportunity{Removable: running[i]}
		j := i
		for ; j < len(running); j++ {
			n := need(demand[j], &g)
			if running[j] <= n {
				break
			}
			o.Removable = min(o.Removable, running[j]-n)
			o.MaxRunning = max(o.MaxRunning, running[j])
			o.MaxNeeded = max(o.MaxNeeded, n)
		}

		if o.Steps = j - i; o.Steps >= window {
			o.Start, o.End = w.Time(i), w.Time(j)
			o.InstanceHours = float64(o.Removable*o.Steps) * w.Step.Hours()
			o.CostUSD = o.InstanceHours * price
			out = append(out, o)
		}
		i = j
	}
	return out
}
