package store

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/scalora/scalora/schemas"
)

// Validate reports the first row the tables cannot hold faithfully: a time
// outside DateTime64's range 1900..2299 (a zero time.Time is the usual
// culprit), a NaN or infinite float (the pipeline never means to store
// one), a count outside its column's integer type, or a forecast with more
// than 65535 horizons. Backends call it before writing anything, so a bad
// row refuses the whole batch.
func (b *Batch) Validate() error {
	for i, r := range b.Errors {
		if err := checkRow(r.Time, r.Forecast, r.Actual, r.AbsError); err != nil {
			return fmt.Errorf("errors[%d]: %w", i, err)
		}
		if err := checkHorizons(r.Horizon); err != nil {
			return fmt.Errorf("errors[%d]: %w", i, err)
		}
	}
	for i, r := range b.States {
		if r.Host == "" {
			return fmt.Errorf("states[%d]: empty host", i)
		}
		if err := checkRow(r.Updated); err != nil {
			return fmt.Errorf("states[%d]: %w", i, err)
		}
	}
	for i, r := range b.Steps {
		if err := checkRow(r.Time, r.CPU); err != nil {
			return fmt.Errorf("steps[%d]: %w", i, err)
		}
		if err := checkUint32(r.Samples); err != nil {
			return fmt.Errorf("steps[%d]: samples: %w", i, err)
		}
	}
	for i, r := range b.Forecasts {
		if err := checkRow(r.Time, r.Values...); err != nil {
			return fmt.Errorf("forecasts[%d]: %w", i, err)
		}
		if err := checkHorizons(len(r.Values)); err != nil {
			return fmt.Errorf("forecasts[%d]: %w", i, err)
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
	for i, r := range b.Opportunities {
		if err := checkOpportunity(r); err != nil {
			return fmt.Errorf("opportunities[%d]: %w", i, err)
		}
	}
	return nil
}

func checkOpportunity(r schemas.Opportunity) error {
	return errors.Join(checkRow(r.Start, r.InstanceHours, r.Dollars), checkRow(r.End), checkInt32(r.Removable))
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

// DropInvalid removes the rows that Validate would refuse, keeping the
// others in order, and returns how many it removed and why the first was
// refused. The pipeline calls it before writing so that one row the
// stages should never have produced cannot block every later write; the
// caller logs and counts what was dropped.
func (b *Batch) DropInvalid() (int, error) {
	var first error
	n := 0
	keep := func(err error) bool {
		if err == nil {
			return true
		}
		if first == nil {
			first = err
		}
		n++
		return false
	}

	b.Steps = filter(b.Steps, func(r schemas.Step) bool {
		return keep(errors.Join(checkRow(r.Time, r.CPU), checkUint32(r.Samples)))
	})
	b.Forecasts = filter(b.Forecasts, func(r schemas.Forecast) bool {
		return keep(errors.Join(checkRow(r.Time, r.Values...), checkHorizons(len(r.Values))))
	})
	b.Anomalies = filter(b.Anomalies, func(r schemas.Anomaly) bool {
		return keep(checkRow(r.Time, r.Score))
	})
	b.Decisions = filter(b.Decisions, func(r schemas.Decision) bool {
		return keep(errors.Join(checkRow(r.Time, r.DemandNow, r.ForecastPeak),
			checkInt32(r.Current, r.Target, r.HorizonSteps)))
	})
	b.Costs = filter(b.Costs, func(r schemas.Cost) bool {
		return keep(errors.Join(checkRow(r.Time, r.PricePerHour, r.StaticCost, r.DecidedCost, r.Savings),
			checkInt32(r.StaticInstances, r.DecidedInstances)))
	})
	b.Opportunities = filter(b.Opportunities, func(r schemas.Opportunity) bool {
		return keep(checkOpportunity(r))
	})
	b.Errors = filter(b.Errors, func(r schemas.ForecastError) bool {
		return keep(errors.Join(checkRow(r.Time, r.Forecast, r.Actual, r.AbsError), checkHorizons(r.Horizon)))
	})
	b.States = filter(b.States, func(r schemas.HostState) bool {
		if r.Host == "" {
			return keep(fmt.Errorf("state with an empty host"))
		}
		return keep(checkRow(r.Updated))
	})
	return n, first
}

func checkUint32(v int) error {
	if v < 0 || v > math.MaxUint32 {
		return fmt.Errorf("value %d outside UInt32", v)
	}
	return nil
}

func checkHorizons(n int) error {
	if n > math.MaxUint16 {
		return fmt.Errorf("%d horizons exceed UInt16", n)
	}
	return nil
}

// filter keeps the rows ok accepts, in place.
func filter[T any](rows []T, ok func(T) bool) []T {
	out := rows[:0]
	for _, r := range rows {
		if ok(r) {
			out = append(out, r)
		}
	}
	return out
}
