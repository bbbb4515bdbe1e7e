package chstore

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/scalora/scalora/pipeline/store"
)

// Write stores b with one batched INSERT per non-empty table (native
// protocol, columnar). The tables are not written atomically together:
// after an error some may hold their rows, and retrying the whole batch is
// the way to finish (writes are idempotent). A batch failing
// store.Batch.Validate is refused before anything is written.
// Durability is the server's: by default (fsync_after_insert=0) an INSERT
// is acknowledged once its part is written, not fsynced.
func (s *Store) Write(ctx context.Context, b *store.Batch) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return store.ErrClosed
	}
	if b == nil || b.Len() == 0 {
		return nil
	}
	if err := b.Validate(); err != nil {
		return fmt.Errorf("write: %w", err)
	}

	inserts := []struct {
		table, columns string
		n              int
		fill           func(driver.Batch) error
	}{
		{"steps", "host, group, ts, cpu, samples, filled", len(b.Steps), func(bt driver.Batch) error {
			for _, r := range b.Steps {
				if err := bt.Append(r.Host, r.Group, r.Time, r.CPU, uint32(r.Samples), r.Filled); err != nil {
					return err
				}
			}
			return nil
		}},
		{"forecasts", "host, group, ts, step_seconds, horizon, value, model, ready, reason", len(b.Forecasts), func(bt driver.Batch) error {
			for _, r := range b.Forecasts {
				for h, v := range r.Values {
					if err := bt.Append(r.Host, r.Group, r.Time, r.StepSeconds, uint16(h+1), v, r.Model, r.Ready, r.Reason); err != nil {
						return err
					}
				}
			}
			return nil
		}},
		{"anomalies", "host, group, ts, score, anomalous, kind, explanation", len(b.Anomalies), func(bt driver.Batch) error {
			for _, r := range b.Anomalies {
				if err := bt.Append(r.Host, r.Group, r.Time, r.Score, r.Anomalous, r.Kind, r.Explanation); err != nil {
					return err
				}
			}
			return nil
		}},
		{"decisions", "group, ts, action, current, target, demand_now, forecast_peak, horizon_steps, model, mode, reason", len(b.Decisions), func(bt driver.Batch) error {
			for _, r := range b.Decisions {
				if err := bt.Append(r.Group, r.Time, string(r.Action), int32(r.Current), int32(r.Target),
					r.DemandNow, r.ForecastPeak, int32(r.HorizonSteps), r.Model, string(r.Mode), r.Reason); err != nil {
					return err
				}
			}
			return nil
		}},
		{"costs", "group, ts, provider, region, instance_type, price_per_hour, step_seconds, static_instances, decided_instances, static_cost, decided_cost, savings", len(b.Costs), func(bt driver.Batch) error {
			for _, r := range b.Costs {
				if err := bt.Append(r.Group, r.Time, r.Provider, r.Region, r.InstanceType, r.PricePerHour, r.StepSeconds,
					int32(r.StaticInstances), int32(r.DecidedInstances), r.StaticCost, r.DecidedCost, r.Savings); err != nil {
					return err
				}
			}
			return nil
		}},
		{"missed_opportunities", "group, start, end, provider, instance_type, removable, instance_hours, dollars, reason", len(b.Opportunities), func(bt driver.Batch) error {
			for _, r := range b.Opportunities {
				if err := bt.Append(r.Group, r.Start, r.End, r.Provider, r.InstanceType, int32(r.Removable),
					r.InstanceHours, r.Dollars, r.Reason); err != nil {
					return err
				}
			}
			return nil
		}},
		{"forecast_errors", "host, group, ts, horizon, forecast, actual, abs_error, model", len(b.Errors), func(bt driver.Batch) error {
			for _, r := range b.Errors {
				if err := bt.Append(r.Host, r.Group, r.Time, uint16(r.Horizon), r.Forecast, r.Actual, r.AbsError, r.Model); err != nil {
					return err
				}
			}
			return nil
		}},
		{"host_state", "host, source, partition, seq, updated, state", len(b.States), func(bt driver.Batch) error {
			for i := range b.States {
				r := &b.States[i]
				if err := bt.Append(r.Host, r.Source, r.Partition, r.Seq, r.Updated,
					string(store.EncodeState(nil, r))); err != nil {
					return err
				}
			}
			return nil
		}},
	}

	for _, in := range inserts {
		if in.n == 0 {
			continue
		}
		if err := s.insert(ctx, in.table, in.columns, in.fill); err != nil {
			return fmt.Errorf("write: insert %s: %w", in.table, err)
		}
	}
	return nil
}

func (s *Store) insert(ctx context.Context, table, columns string, fill func(driver.Batch) error) error {
	bt, err := s.conn.PrepareBatch(ctx, "INSERT INTO "+s.qdb+"."+table+" ("+columns+")")
	if err != nil {
		return fmt.Errorf("prepare: %w", err)
	}
	if err := fill(bt); err != nil {
		_ = bt.Abort()
		return fmt.Errorf("append: %w", err)
	}
	if err := bt.Send(); err != nil {
		return fmt.Errorf("send: %w", err)
	}
	return nil
}
