package migrate_test

import (
	"context"
	"testing"
	"time"

	"github.com/scalora/scalora/pipeline/store"
	"github.com/scalora/scalora/schemas"
)

// TestRollupViewsCountReplayedRowsOnce writes the same hour of steps,
// forecasts and costs twice (a replay after a crash) and checks every
// rollup and report view against sums worked out by hand from one copy.
func TestRollupViewsCountReplayedRowsOnce(t *testing.T) {
	s := openCHDB(t, "views")
	ctx := context.Background()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}

	// 12 five-minute steps of host h in group g, CPU 10, 20, ..., 120;
	// each forecast says the next step's CPU is 5 points above the current
	// one (actual is 10 above, so every 1-step error is 5); each step saves
	// 2 of 4 m5.large at $0.096/h: $0.016.
	base := time.Now().UTC().Truncate(time.Hour).Add(-3 * time.Hour)
	b := &store.Batch{}
	for i := range 12 {
		ts := base.Add(time.Duration(i) * 5 * time.Minute)
		cpu := float64(10 * (i + 1))
		b.Steps = append(b.Steps, schemas.Step{Host: "h", Group: "g", Time: ts, CPU: cpu, Samples: 5, Filled: i == 3})
		b.Forecasts = append(b.Forecasts, schemas.Forecast{
			Host: "h", Group: "g", Time: ts, StepSeconds: 300, Values: []float64{cpu + 5}, Model: "m", Ready: true,
		})
		b.Costs = append(b.Costs, schemas.Cost{
			Group: "g", Time: ts, Provider: "aws", Region: "r", InstanceType: "m5.large", PricePerHour: 0.096,
			StepSeconds: 300, StaticInstances: 4, DecidedInstances: 2, StaticCost: 0.032, DecidedCost: 0.016, Savings: 0.016,
		})
	}
	for range 2 {
		if err := s.Write(ctx, b); err != nil {
			t.Fatal(err)
		}
	}

	checks := []struct {
		name, sql string
		want      []any
	}{
		{"steps_hourly", "SELECT avg_cpu, max_cpu, steps, filled_steps FROM steps_hourly",
			[]any{65.0, 120.0, uint64(12), uint64(1)}},
		{"steps_daily", "SELECT avg_cpu, max_cpu, steps FROM steps_daily",
			[]any{65.0, 120.0, uint64(12)}},
		{"costs_hourly", "SELECT round(savings, 6), round(static_cost, 6), steps FROM costs_hourly",
			[]any{0.192, 0.384, uint64(12)}},
		{"costs_daily", "SELECT round(savings, 6), avg_decided_instances, steps FROM costs_daily",
			[]any{0.192, 2.0, uint64(12)}},
		{"savings_by_group", "SELECT round(savings, 6), steps FROM savings_by_group",
			[]any{0.192, uint64(12)}},
		// 11 forecasts have a stored target step (the last one's is not
		// closed yet), each 5 points below the actual.
		{"forecast_accuracy", "SELECT count(), avg(abs_error), max(actual) FROM forecast_accuracy",
			[]any{uint64(11), 5.0, 120.0}},
		{"forecast_error_by_host", "SELECT host, horizon, mae, rmse, forecasts FROM forecast_error_by_host",
			[]any{"h", uint16(1), 5.0, 5.0, uint64(11)}},
	}
	for _, c := range checks {
		res, err := s.Query(ctx, c.sql)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if len(res.Rows) != 1 {
			t.Errorf("%s: %d rows, want 1: %v", c.name, len(res.Rows), res.Rows)
			continue
		}
		for i, w := range c.want {
			if res.Rows[0][i] != w {
				t.Errorf("%s: %s = %#v, want %#v", c.name, res.Columns[i], res.Rows[0][i], w)
			}
		}
	}
}
