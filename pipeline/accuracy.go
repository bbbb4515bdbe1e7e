package pipeline

import (
	"math"
	"time"

	"github.com/scalora/scalora/schemas"
)

// accuracy compares each host's one-step forecast with the step it
// forecast once that step closes: the live error that the store's
// forecast_errors table and the host's live status carry. One per shard.
//
// It keeps, per host, only the one-step value of the host's latest
// forecast (about 80 bytes with the map entry); errors at longer horizons
// are not tracked live, they come from the forecast_accuracy view (the
// forecasts joined with the steps at query time).
type accuracy struct {
	pending map[string]oneStep
}

// oneStep is a forecast awaiting its step.
type oneStep struct {
	at    int64 // start of the target step, Unix nanoseconds
	value float64
	model string
}

func newAccuracy() *accuracy { return &accuracy{pending: map[string]oneStep{}} }

// observe takes the forecast f made when step closed. If the host's
// previous forecast was for this step, it returns that forecast's error.
// A host's steps arrive in order, so a step skipped (a long gap) just
// drops the pending forecast.
func (a *accuracy) observe(step schemas.Step, f schemas.Forecast) (schemas.ForecastError, bool) {
	var e schemas.ForecastError
	prev, had := a.pending[step.Host]
	ok := had && prev.at == step.Time.UnixNano()
	if ok {
		e = schemas.ForecastError{
			Host: step.Host, Group: step.Group, Time: step.Time, Horizon: 1,
			Forecast: prev.value, Actual: step.CPU, AbsError: math.Abs(step.CPU - prev.value), Model: prev.model,
		}
	}

	if len(f.Values) > 0 && f.StepSeconds > 0 {
		next := step.Time.Add(time.Duration(f.StepSeconds) * time.Second)
		a.pending[step.Host] = oneStep{at: next.UnixNano(), value: f.Values[0], model: f.Model}
	} else if had {
		delete(a.pending, step.Host)
	}
	return e, ok
}
