package trace

import (
	"slices"
	"time"
)

// MedianStep returns the median gap between consecutive points: the
// sampling step of the export, robust to a few missing or late readings.
// It is 0 for a series of fewer than two points.
func (s *Series) MedianStep() time.Duration {
	if len(s.Points) < 2 {
		return 0
	}
	gaps := make([]time.Duration, len(s.Points)-1)
	for i := 1; i < len(s.Points); i++ {
		gaps[i-1] = s.Points[i].Time.Sub(s.Points[i-1].Time)
	}
	slices.Sort(gaps)
	return gaps[len(gaps)/2]
}
