package store

import (
	"fmt"
	"math"
	"time"
)

// Validate reports the first row the tables cannot hold faithfully: a time
// outside DateTime64's range 1900..2299 (a zero time.Time is the usual
// culprit), a NaN or infinite float (the pipeline never means to store
// one), a count outside its column's integer type, or a forecast with more
// than 65535 horizons. Backends call it before writing anything, so a bad
// row refuses the whole batch.
func (b *Batch) Validate() error {
	for i, r := range b.Steps {
		if err := checkRow(r.Time, r.CPU); err != nil {
			return fmt.Errorf("steps[%d]: %w", i, err)
		}
		if r.Samples < 0 || r.Samples > math.MaxUint32 {
			return fmt.Errorf("steps[%d]: samples %d outside UInt32", i, r.Samples)
		}
	}
	for i, r := range b.Forecasts {
		if err := checkRow(r.Time, r.Values...); err != nil {
			return fmt.Errorf("forecasts[%d]: %w", i, err)
		}
		if len(r.Values) > math.MaxUint16 {
			return fmt.Errorf("forecasts[%d]: %d horizons exceed UInt16", i, len(r.Values))
		}
	}
	for i, r := range b.Anomalies {
		if err := checkRow(r.Time, r.Score); err != nil {
			return fmt.Errorf("anomalies[%d]: %w", i, err)
		}
	}
	for i, r := range b.Decisions {
		if err := checkRow(r.Time, r.DemandNow, r.ForecastPeak); err != nil {
			return fmt.Errorf("decisions[%d]: %w", i, err)
		}
		if err := checkInt32(r.Current, r.Target, r.HorizonSteps); err != nil {
			return fmt.Errorf("decisions[%d]: %w", i, err)
		}
	}
	for i, r := range b.Costs {
		if err := checkRow(r.Time, r.PricePerHour, r.StaticCost, r.DecidedCost, r.Savings); err != nil {
			return fmt.Errorf("costs[%d]: %w", i, err)
		}
		if err := checkInt32(r.StaticInstances, r.DecidedInstances); err != nil {
			return fmt.Errorf("costs[%d]: %w", i, err)
		}
	}
	return nil
}

func checkRow(ts time.Time, floats ...float64) error {
	if y := ts.UTC().Year(); y < 1900 || y > 2299 {
		return fmt.Errorf("ts %s outside 1900..2299", ts.UTC().Format(time.RFC3339))
	}
	for _, f := range floats {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("non-finite value %g", f)
		}
	}
	return nil
}

func checkInt32(vs ...int) error {
	for _, v := range vs {
		if v < math.MinInt32 || v > math.MaxInt32 {
			return fmt.Errorf("value %d outside Int32", v)
		}
	}
	return nil
}
