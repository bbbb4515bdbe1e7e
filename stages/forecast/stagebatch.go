package forecast

import (
	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/stages/window"
)

// ForecastBatch forecasts every window in cs, with the same result per
// window as Forecast, and returns the records in the order of cs: the
// entry point for all hosts due in one tick. The ready windows go to
// Predictor.PredictBatch together. The records own their Values; cs is
// only read during the call. ForecastBatchInto is the variant that reuses
// the records of the previous tick and does not allocate.
func (s *Stage) ForecastBatch(cs []window.Closed) []schemas.Forecast {
	return s.ForecastBatchInto(nil, cs)
}

// ForecastBatchInto is ForecastBatch writing into dst: it returns dst
// resized to len(cs), reusing dst's backing array and each record's Values
// array when they are large enough (records beyond len(dst) but within its
// capacity are reused too). So a caller that passes back the previous
// tick's slice, once it is done with those records, forecasts a steady
// set of ready hosts without allocating; a host on the LastValue fallback
// gets a newly allocated record (Values and Reason), as from Forecast. The returned records share memory with dst
// and with each other's earlier contents: copy what must outlive the next
// call.
func (s *Stage) ForecastBatchInto(dst []schemas.Forecast, cs []window.Closed) []schemas.Forecast {
	out := resizeForecasts(dst, len(cs))
	s.batchIn, s.batchOut = s.batchIn[:0], s.batchOut[:0]
	k := s.model.Horizon()

	for i, c := range cs {
		values, raw := out[i].Values, out[i].ModelValues
		if cap(values) < k {
			values = make([]float64, k)
		}
		values = values[:k]
		if c.Ready && len(c.Values) == InputSize {
			out[i] = s.header(c)
			out[i].Values = values
			if s.blends != nil {
				if cap(raw) < k {
					raw = make([]float64, k)
				}
				out[i].ModelValues = raw[:k]
			}
			out[i].Model = s.name
			out[i].Ready = true
			s.batchIn = append(s.batchIn, c.Values)
			s.batchOut = append(s.batchOut, values)
			continue
		}
		out[i] = s.Forecast(c)
	}

	if len(s.batchIn) > 0 {
		s.lstm.PredictBatch(s.batchIn, s.batchOut)
	}
	if s.blends != nil {
		// In the order of cs, so that two steps of one host are
		// blended in turn, as Forecast would.
		for i, c := range cs {
			if c.Ready && len(c.Values) == InputSize {
				s.blendHost(c, out[i].Values, out[i].ModelValues)
			}
		}
	}
	// Drop the references to the caller's windows and to the records.
	clear(s.batchIn)
	clear(s.batchOut)
	return out
}

// resizeForecasts returns dst with length n, reusing its array when it has
// the capacity.
func resizeForecasts(dst []schemas.Forecast, n int) []schemas.Forecast {
	if cap(dst) >= n {
		return dst[:n]
	}
	out := make([]schemas.Forecast, n)
	copy(out, dst[:cap(dst)])
	return out
}
