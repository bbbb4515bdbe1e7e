package nab

import (
	"testing"
	"time"

	"github.com/scalora/scalora/schemas/trace"
)

func TestNormaliseSeriesMapsRangeOnto0To100(t *testing.T) {
	t0 := time.Date(2014, 4, 10, 0, 0, 0, 0, time.UTC)
	s := &trace.Series{}
	for i, v := range []float64{2e5, 3.2e6, 2e5, 245e6, 1.2e6} {
		s.Points = append(s.Points, trace.Point{Time: t0.Add(time.Duration(i) * 5 * time.Minute), CPU: v})
	}
	NormaliseSeries(s)
	want := []float64{0, 100 * 3e6 / 244.8e6, 0, 100, 100 * 1e6 / 244.8e6}
	for i, p := range s.Points {
		if d := p.CPU - want[i]; d > 1e-9 || d < -1e-9 {
			t.Errorf("point %d: %v, want %v", i, p.CPU, want[i])
		}
	}

	flat := &trace.Series{Points: []trace.Point{{Time: t0, CPU: 7}, {Time: t0.Add(time.Minute), CPU: 7}}}
	NormaliseSeries(flat)
	for _, p := range flat.Points {
		if p.CPU != 0 {
			t.Errorf("constant series normalised to %v, want 0", p.CPU)
		}
	}
	NormaliseSeries(&trace.Series{}) // must not panic
}
