package forecast

import (
	"fmt"
	"math"
)

// Evaluate replays series through f and returns its mean absolute error in
// CPU percent at each of horizons (1-based steps, each at most
// f.Horizon()).
//
// Every window of InputSize consecutive steps whose largest horizon still
// lies inside series is scored, so each horizon is averaged over the same
// windows. It fails when a horizon is out of range or series is too short
// for one window.
func Evaluate(f Forecaster, series []float64, horizons []int) ([]float64, error) {
	maxH := 0
	for _, h := range horizons {
		if h < 1 || h > f.Horizon() {
			return nil, fmt.Errorf("evaluate %s: horizon %d outside 1..%d", f.Name(), h, f.Horizon())
		}
		maxH = max(maxH, h)
	}
	windows := len(series) - InputSize - maxH + 1
	if windows < 1 {
		return nil, fmt.Errorf("evaluate %s: %w: %d steps, need %d", f.Name(), ErrNoData, len(series), InputSize+maxH)
	}

	out := make([]float64, f.Horizon())
	mae := make([]float64, len(horizons))
	for start := range windows {
		f.Predict(series[start:start+InputSize], out)
		for i, h := range horizons {
			mae[i] += math.Abs(out[h-1] - series[start+InputSize+h-1])
		}
	}
	for i := range mae {
		mae[i] /= float64(windows)
	}
	return mae, nil
}
