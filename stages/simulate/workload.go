package simulate

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/scalora/scalora/schemas/trace"
)

// Workload is a trace on a regular step grid: one CPU value per step.
type Workload struct {
	// Name identifies the trace (its file name without extension).
	Name string

	// Start is the start of step 0; step i starts at Start + i*Step.
	// Start is a whole multiple of Step since the Unix epoch, as the
	// windower's grid is.
	Start time.Time
	Step  time.Duration

	// CPU is the group's average CPU percent of each step, as measured
	// (it may exceed 100; demand clips it).
	CPU []float64

	// Filled marks steps without a reading, which repeat the value of the
	// step before.
	Filled []bool
}

// Len returns the number of steps.
func (w *Workload) Len() int { return len(w.CPU) }

// Time returns the start of step i.
func (w *Workload) Time(i int) time.Time { return w.Start.Add(time.Duration(i) * w.Step) }

// Demand returns the demand of step i in instance units for a group
// measured on instances instances: instances × CPU / 100, with CPU clipped
// to [0, 100] as the decision stage clips it (a group cannot use more than
// all of its instances).
func (w *Workload) Demand(i, instances int) float64 {
	return float64(instances) * clipCPU(w.CPU[i]) / 100
}

func clipCPU(v float64) float64 { return math.Min(math.Max(v, 0), 100) }

// InferStep returns the trace's own step: the median gap between
// consecutive readings, rounded to the nearest minute (to the nearest
// second below one minute). Jitter of a few seconds (Bitbrains) and a few
// missing readings (NAB) do not move it; a step of 90 s reads as 2m.
func InferStep(s *trace.Series) (time.Duration, error) {
	if len(s.Points) < 2 {
		return 0, fmt.Errorf("infer step of %q: %w: %d readings", s.Name, ErrShortTrace, len(s.Points))
	}

	gaps := make([]time.Duration, 0, len(s.Points)-1)
	for i := 1; i < len(s.Points); i++ {
		gaps = append(gaps, s.Points[i].Time.Sub(s.Points[i-1].Time))
	}
	slices.Sort(gaps)

	step := gaps[len(gaps)/2]
	if step >= time.Minute {
		// Jitter of a few seconds must not make a 5-minute trace a 5m2s one.
		step = step.Round(time.Minute)
	} else {
		step = step.Round(time.Second)
	}
	if step <= 0 {
		return 0, fmt.Errorf("infer step of %q: %w: median gap rounds to 0", s.Name, ErrShortTrace)
	}
	return step, nil
}

// FromSeries places a trace on the grid of step: steps aligned to whole
// multiples of step since the Unix epoch, from the one holding the first
// reading to the one holding the last. A step's CPU is the mean of its
// readings (the windower's default aggregate); a step without a reading
// repeats the step before and is marked Filled, whatever the gap's length.
func FromSeries(s *trace.Series, step time.Duration) (*Workload, error) {
	if len(s.Points) == 0 {
		return nil, fmt.Errorf("workload %q: %w: no readings", s.Name, ErrShortTrace)
	}
	if step <= 0 {
		return nil, fmt.Errorf("workload %q: step %s is not positive", s.Name, step)
	}

	first := s.Points[0].Time.UnixNano()
	start := first - mod(first, int64(step))
	last := s.Points[len(s.Points)-1].Time.UnixNano()
	n := int((last-start)/int64(step)) + 1

	sum := make([]float64, n)
	count := make([]int, n)
	for _, p := range s.Points {
		i := int((p.Time.UnixNano() - start) / int64(step))
		sum[i] += p.CPU
		count[i]++
	}

	w := &Workload{
		Name:   s.Name,
		Start:  time.Unix(0, start).UTC(),
		Step:   step,
		CPU:    make([]float64, n),
		Filled: make([]bool, n),
	}
	for i := range n {
		switch {
		case count[i] > 0:
			w.CPU[i] = sum[i] / float64(count[i])
		case i > 0:
			w.CPU[i], w.Filled[i] = w.CPU[i-1], true
		}
	}
	return w, nil
}

// mod is the non-negative remainder of a / b, for times before 1970.
func mod(a, b int64) int64 {
	r := a % b
	if r < 0 {
		r += b
	}
	return r
}
