package simulate

import (
	"fmt"
	"time"

	"github.com/scalora/scalora/stages/decision"
)

// Defaults of a ReactiveConfig.
const (
	DefaultOutAbove = 0.7
	DefaultOutSteps = 3
	DefaultInBelow  = 0.3
	DefaultInSteps  = 10
)

// ReactiveConfig is a threshold autoscaler of the kind cloud providers
// offer: it acts on measured utilisation only, after the threshold held for
// a number of consecutive steps.
type ReactiveConfig struct {
	// OutAbove is the utilisation (demand / serving instances) above which
	// steps count towards a scale-out. Default 0.7.
	OutAbove float64 `json:"out_above"`

	// OutSteps is how many consecutive steps above OutAbove trigger a
	// scale-out. Default 3.
	OutSteps int `json:"out_steps"`

	// InBelow is the utilisation below which steps count towards a
	// scale-in. Default 0.3.
	InBelow float64 `json:"in_below"`

	// InSteps is how many consecutive steps below InBelow trigger a
	// scale-in. Default 10.
	InSteps int `json:"in_steps"`
}

// SetDefaults fills zero fields with the defaults written on them.
func (c *ReactiveConfig) SetDefaults() {
	if c.OutAbove == 0 {
		c.OutAbove = DefaultOutAbove
	}
	if c.OutSteps == 0 {
		c.OutSteps = DefaultOutSteps
	}
	if c.InBelow == 0 {
		c.InBelow = DefaultInBelow
	}
	if c.InSteps == 0 {
		c.InSteps = DefaultInSteps
	}
}

// Validate checks c after SetDefaults. Errors wrap ErrInvalidConfig.
func (c *ReactiveConfig) Validate() error {
	switch {
	case !(c.InBelow > 0 && c.InBelow < c.OutAbove):
		return fmt.Errorf("%w: reactive: need 0 < in_below %g < out_above %g", ErrInvalidConfig, c.InBelow, c.OutAbove)
	case c.OutSteps < 1 || c.InSteps < 1:
		return fmt.Errorf("%w: reactive: out_steps %d and in_steps %d must be at least 1",
			ErrInvalidConfig, c.OutSteps, c.InSteps)
	}
	return nil
}

// Reactive replays the threshold autoscaler over demand, one value per
// step of length step, for group g, which starts with g.Instances running. At the end of each step it measures the
// utilisation of that step, demand / serving instances. After OutSteps
// consecutive steps above OutAbove it scales out to the count the last
// step's demand needs at g.TargetUtilization (see need), unless the
// instances provisioned (serving or booting) already cover it; after InSteps consecutive steps below InBelow it
// scales in to what the largest demand of those steps needs, removing at
// most g.MaxScaleInStep. Both are clamped to g's bounds, and either action
// restarts both counts. Sizing to the same target as Scalora keeps the
// comparison about when each policy acts, not about how much.
//
// Orders go through the same fleet as the predictive policy: removals count
// from the next step, added instances only once booted (see fleet), and a
// scale-out is not repeated while instances it ordered are booting if they
// already cover the need. It returns the instances serving each step.
func Reactive(demand []float64, g decision.GroupConfig, c ReactiveConfig, step time.Duration) []int {
	f := newFleet(g.Instances, g.BootTime, step)
	out := make([]int, len(demand))

	high, low := 0, 0
	lowPeak := 0.0
	for i, d := range demand {
		run := f.running(i)
		out[i] = run

		util := d / float64(run)
		high, low = countRun(high, util > c.OutAbove), countRun(low, util < c.InBelow)
		if low == 1 {
			lowPeak = 0
		}
		if low > 0 {
			lowPeak = max(lowPeak, d)
		}

		switch have := f.provisioned(); {
		case high >= c.OutSteps:
			want := need(d, &g)
			if want <= have && len(f.launches) == 0 {
				// Only when OutAbove is below the target utilisation can the
				// need be covered while the threshold is crossed: add one.
				want = min(have+1, g.MaxInstances)
			}
			if want > have {
				f.order(i, want)
			}
			high, low = 0, 0

		case low >= c.InSteps:
			want := max(need(lowPeak, &g), have-g.MaxScaleInStep)
			if want < have {
				f.order(i, want)
			}
			high, low = 0, 0
		}
	}
	return out
}

func countRun(n int, hit bool) int {
	if hit {
		return n + 1
	}
	return 0
}
