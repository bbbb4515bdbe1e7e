package simulate

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/stages/decision"
)

// Oracle runs the decision stage over w with a perfect forecast: at every
// step it is told the CPU of the steps ahead exactly, and its decisions go
// through the same fleet as the predictive policy's (see Predictive). It is
// not achievable; it says what Scalora's rules (lead by the boot time,
// stabilisation window, step limit, bounds) save on the trace when the
// forecast is right, so that a shortfall can be put on the rules or on the
// forecast. A perfect forecast never falls short of demand, so the
// decision stage keeps no reserve for forecast misses here (see
// decision.GroupConfig.HeadroomQuantile). Unlike the replay, it is ready
// from the first step. g must have
// had SetDefaults. It returns the instances serving each step.
func Oracle(w *Workload, g decision.GroupConfig) ([]int, error) {
	dec, err := decision.New(decision.Config{
		Step: w.Step, WaitSteps: -1,
		Default: g, Groups: map[string]decision.GroupConfig{g.Name: g},
	})
	if err != nil {
		return nil, fmt.Errorf("oracle %q: %w", w.Name, err)
	}

	lead := 1 + bootSteps(g.BootTime, w.Step)
	targets := make([]int, w.Len())
	values := make([]float64, lead)
	for i := range w.Len() {
		for k := range values {
			values[k] = clipCPU(w.CPU[min(i+k+1, w.Len()-1)])
		}
		f := schemas.Forecast{
			Host: w.Name, Group: g.Name, Time: w.Time(i), StepSeconds: int64(w.Step / time.Second),
			Values: values, Model: "perfect-forecast", Ready: true,
		}
		out := dec.Observe(f, clipCPU(w.CPU[i]))
		out = append(out, dec.Flush()...)
		if len(out) != 1 {
			return nil, fmt.Errorf("oracle %q step %d: %d decisions, want 1", w.Name, i, len(out))
		}
		targets[i] = out[0].Target
	}
	return Predictive(targets, g, w.Step), nil
}

// Lagged is the cheapest policy of a family that does not foresee: it runs
// at step i what the demand of step i-1-boot (the last one a scale-out
// ordered in time could act on) needs at the target utilisation, plus a
// fixed reserve of whole instances, clamped to g's bounds; the first steps
// run g.Instances. The reserve is the smallest that keeps at most maxUnder
// steps under-provisioned, chosen knowing the whole trace, so no policy of
// the family does better; it is returned with the instances of each step.
// It bounds what covering the trace's rises costs without foreseeing them.
func Lagged(demand []float64, g decision.GroupConfig, boot, maxUnder int) ([]int, int) {
	lag := 1 + boot
	base := make([]int, len(demand))
	short := make([]float64, 0, len(demand))
	for i, d := range demand {
		base[i] = g.Instances
		if i >= lag {
			base[i] = need(demand[i-lag], &g)
		}
		if d > float64(base[i])+demandSlack {
			short = append(short, d-float64(base[i]))
		}
	}

	// The reserve must cover all but the maxUnder largest shortfalls.
	reserve := 0
	if len(short) > maxUnder {
		slices.Sort(short)
		reserve = int(math.Ceil(short[len(short)-1-maxUnder] - demandSlack))
	}
	out := make([]int, len(demand))
	for i, b := range base {
		out[i] = min(b+reserve, g.MaxInstances)
	}
	return out, reserve
}
