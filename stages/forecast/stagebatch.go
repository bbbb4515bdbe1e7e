package forecast

import (
	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/stages/window"
)

// ForecastBatch forecasts every window in cs, with the same result per
// window as Forecast, and returns the records in the order of cs: the
// entry point for all hosts due in one tick. The ready windows go to
// Predictor.PredictBatch together (see there for why it runs them one
// after the other for now). The records own their Values; cs is only
// read during the call.
func (s *Stage) ForecastBatch(cs []window.Closed) []schemas.Forecast {
	out := make([]schemas.Forecast, len(cs))
	s.batchIn, s.batchOut = s.batchIn[:0], s.batchOut[:0]

	for i, c := range cs {
		if c.Ready && len(c.Values) == InputSize {
			out[i] = s.record(c)
			out[i].Model = s.model.Name()
			out[i].Ready = true
			s.batchIn = append(s.batchIn, c.Values)
			s.batchOut = append(s.batchOut, out[i].Values)
			continue
		}
		out[i] = s.Forecast(c)
	}

	if len(s.batchIn) > 0 {
		s.lstm.PredictBatch(s.batchIn, s.batchOut)
	}
	// Drop the references to the caller's windows and to the records.
	clear(s.batchIn)
	clear(s.batchOut)
	return out
}
