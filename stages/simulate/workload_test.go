package simulate

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas/trace"
)

func series(offsets []time.Duration, cpu []float64) *trace.Series {
	s := &trace.Series{Name: "hand"}
	for i, o := range offsets {
		s.Points = append(s.Points, trace.Point{Time: t0.Add(o), CPU: cpu[i]})
	}
	return s
}

// Bitbrains readings drift by seconds around 5 minutes, and NAB misses a
// few: the median gap, rounded to the minute, is still 5m.
func TestInferStepIgnoresJitterAndGaps(t *testing.T) {
	s := series([]time.Duration{0, 302 * time.Second, 599 * time.Second, 900 * time.Second, 1500 * time.Second},
		[]float64{1, 2, 3, 4, 5})
	step, err := InferStep(s)
	if err != nil || step != 5*time.Minute {
		t.Fatalf("step %s, err %v; want 5m", step, err)
	}

	if _, err := InferStep(series([]time.Duration{0}, []float64{1})); !errors.Is(err, ErrShortTrace) {
		t.Fatalf("one reading: err %v, want ErrShortTrace", err)
	}
}

// Two readings in step 0 average; step 2 has none and repeats step 1.
func TestFromSeriesAlignsAveragesAndFills(t *testing.T) {
	s := series([]time.Duration{2 * time.Second, 4 * time.Minute, 5*time.Minute + 3*time.Second, 15 * time.Minute},
		[]float64{10, 20, 30, 50})
	w, err := FromSeries(s, 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}

	if !w.Start.Equal(t0) || w.Len() != 4 {
		t.Fatalf("start %s, %d steps; want %s, 4", w.Start, w.Len(), t0)
	}
	if !slices.Equal(w.CPU, []float64{15, 30, 30, 50}) || !slices.Equal(w.Filled, []bool{false, false, true, false}) {
		t.Fatalf("cpu %v filled %v", w.CPU, w.Filled)
	}
	if got := w.Demand(3, 10); got != 5 {
		t.Fatalf("demand of 50 %% on 10 instances: %g, want 5", got)
	}
}
