package forecast

import (
	"fmt"
	"time"
)

// Timed runs a Model over a series whose first step is at Start and whose
// steps are Step apart: a SeriesForecaster that gives the model its whole
// history and the time of the last step (PredictAt), which models with
// optional features (features.go) need. For a model with only the base
// features it forecasts exactly as Windowed.
type Timed struct {
	M     *Model
	Start time.Time
	Step  time.Duration
}

// Name is the model's name.
func (t Timed) Name() string { return t.M.Name() }

// Horizon is the model's horizon.
func (t Timed) Horizon() int { return t.M.Horizon() }

// MinHistory is the model's (see Model.MinHistory).
func (t Timed) MinHistory() int { return t.M.MinHistory() }

// Forecast predicts from history, taking its last step to be at
// Start + (len(history)-1)*Step. It is safe for concurrent use.
func (t Timed) Forecast(history, out []float64) {
	last := t.Start.Add(time.Duration(len(history)-1) * t.Step)
	t.M.PredictAt(history, last, out)
}

// Mean averages the forecasts of its members step by step: an ensemble,
// e.g. of LSTMs trained with different seeds. All members must have the
// same horizon. Forecast allocates one scratch slice per call (it serves
// offline evaluation; an allocation-free live ensemble is not written).
type Mean []SeriesForecaster

// Name is "mean-N-" followed by the first member's name.
func (m Mean) Name() string { return fmt.Sprintf("mean%d-%s", len(m), m[0].Name()) }

// Horizon is the first member's horizon.
func (m Mean) Horizon() int { return m[0].Horizon() }

// MinHistory is the largest MinHistory of the members.
func (m Mean) MinHistory() int {
	n := 0
	for _, f := range m {
		n = max(n, f.MinHistory())
	}
	return n
}

// Forecast writes the mean of the members' forecasts into out.
func (m Mean) Forecast(history, out []float64) {
	k := m.Horizon()
	buf := make([]float64, k)
	clear(out[:k])
	for _, f := range m {
		f.Forecast(history, buf)
		for i, v := range buf {
			out[i] += v / float64(len(m))
		}
	}
}

var (
	_ SeriesForecaster = Timed{}
	_ SeriesForecaster = Mean{}
)
