package forecast

// Forecaster predicts the next steps of a host from its recent window.
type Forecaster interface {
	// Name names the forecaster in Forecast.Model, e.g. "lstm-h32-v1".
	Name() string

	// Horizon is the number of steps Predict writes.
	Horizon() int

	// Predict writes the forecasts for the Horizon() steps after window
	// into out[:Horizon()]; out[i] is i+1 steps after the window's last
	// step. window holds CPU percent, oldest first, and has exactly the
	// forecaster's input length (InputSize for Model) unless the
	// implementation says otherwise. Predict must not keep window or out.
	Predict(window, out []float64)
}

// LastValue forecasts that the load stays at the window's last value: the
// baseline every model must beat, and the fallback for hosts without a full
// window. It accepts a window of any non-empty length. The zero value has
// horizon 0; it is safe for concurrent use.
type LastValue struct {
	H int // horizon in steps
}

// Name is "last_value".
func (LastValue) Name() string { return "last_value" }

// Horizon is l.H.
func (l LastValue) Horizon() int { return l.H }

// Predict writes window's last value into out[:H]. An empty window is a
// programming error and panics.
func (l LastValue) Predict(window, out []float64) {
	last := window[len(window)-1]
	for i := range out[:l.H] {
		out[i] = last
	}
}

var (
	_ Forecaster = LastValue{}
	_ Forecaster = (*Model)(nil)
	_ Forecaster = (*Predictor)(nil)
)
