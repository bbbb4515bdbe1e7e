package forecast

import "fmt"

// SeriesForecaster forecasts from a host's whole history rather than from a
// fixed window: the shape the seasonal baselines need (they look a day back,
// 288 steps at 5 minutes, far beyond InputSize) and the one EvaluateSeries
// replays.
//
// Which can serve live: the Stage only sees window.Closed, the last
// InputSize steps of a host, so today only LastValue is the live fallback
// for hosts without a full window. SeasonalNaive and HoltWinters need at
// least a day (two days to fit Holt-Winters) of per-host history, which the
// windower does not keep; serving them live needs a per-host day buffer (or
// HoltWinters' running state, see HoltWinters.Forecast) and is not done yet.
type SeriesForecaster interface {
	// Name names the forecaster in reports and Forecast.Model.
	Name() string

	// Horizon is the number of steps Forecast writes.
	Horizon() int

	// MinHistory is the fewest steps of history Forecast accepts.
	MinHistory() int

	// Forecast writes the Horizon() steps after history (CPU percent, oldest
	// first, at least MinHistory() steps) into out[:Horizon()]; out[i] is
	// i+1 steps after history's last step. It must not keep history or
	// out. Implementations in this package are safe for concurrent use
	// unless they say otherwise.
	Forecast(history, out []float64)
}

// MinHistory is 1: the last value needs one step.
func (LastValue) MinHistory() int { return 1 }

// Forecast repeats history's last value (see Predict).
func (l LastValue) Forecast(history, out []float64) { l.Predict(history, out) }

// Windowed runs a window Forecaster (such as a Model) over the last
// InputSize steps of a history, making it a SeriesForecaster.
type Windowed struct {
	F Forecaster
}

// Name is the wrapped forecaster's name.
func (w Windowed) Name() string { return w.F.Name() }

// Horizon is the wrapped forecaster's horizon.
func (w Windowed) Horizon() int { return w.F.Horizon() }

// MinHistory is InputSize.
func (Windowed) MinHistory() int { return InputSize }

// Forecast predicts from history's last InputSize steps. Its concurrency is
// the wrapped forecaster's (a Model is safe, a Predictor is not).
func (w Windowed) Forecast(history, out []float64) {
	w.F.Predict(history[len(history)-InputSize:], out)
}

// checkHistory panics when history is shorter than f needs: a programming
// error, as for Forecaster.Predict.
func checkHistory(f SeriesForecaster, history, out []float64) {
	if len(history) < f.MinHistory() || len(out) < f.Horizon() {
		panic(fmt.Sprintf("forecast: %s wants history of at least %d and out of %d, got %d and %d",
			f.Name(), f.MinHistory(), f.Horizon(), len(history), len(out)))
	}
}

var (
	_ SeriesForecaster = LastValue{}
	_ SeriesForecaster = Windowed{}
	_ SeriesForecaster = SeasonalNaive{}
	_ SeriesForecaster = (*HoltWinters)(nil)
)
