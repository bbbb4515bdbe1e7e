// Package rollup keeps the stored hourly and daily CPU rollups
// (steps_hourly_store, steps_daily_store) up to date, so that they outlive
// the raw steps: steps are kept for the steps TTL (90 days by default),
// the stored rollups for 2 years.
//
// The rollups are not insert-triggered materialized views: such a view
// sees each inserted block, so a step replayed after a crash
// (at-least-once delivery) would be counted twice. Refresh instead
// recomputes whole recent hours and days from steps FINAL (deduplicated)
// and inserts them into ReplacingMergeTree tables keyed by (host, hour)
// and (host, day): a recomputed period replaces the earlier row, so
// refreshing again, or after a replay, never double counts.
//
// The steps_hourly and steps_daily views merge the stored rows with a
// live aggregation of the steps still kept (see
// schemas/sql/0019_steps_hourly_merged.sql), so readers see recent hours
// without waiting for a refresh.
package rollup

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/scalora/scalora/pipeline/store"
	"github.com/scalora/scalora/pipeline/store/migrate"
	ddl "github.com/scalora/scalora/schemas/sql"
)

// refreshHourly recomputes the hours from {since} on. The join keeps a
// stored hour that counts more steps than the live one: its steps were
// partly removed by the steps TTL, and the stored copy is the complete
// one (a missing stored row joins as 0 steps, join_use_nulls being off).
const refreshHourly = `INSERT INTO {db}.steps_hourly_store
    (host, group, hour, avg_cpu, max_cpu, min_cpu, steps, filled_steps)
SELECT l.host, l.g, l.hour, l.a_avg, l.a_max, l.a_min, l.a_steps, l.a_filled
FROM
(
    SELECT host, argMax(group, ts) AS g, toStartOfHour(toDateTime(ts, 'UTC')) AS hour,
           avg(cpu) AS a_avg, max(cpu) AS a_max, min(cpu) AS a_min,
           count() AS a_steps, countIf(filled) AS a_filled
    FROM {db}.steps FINAL
    WHERE ts >= toDateTime64('{since}', 3, 'UTC')
    GROUP BY host, hour
) AS l
LEFT JOIN
(
    SELECT host, hour, steps FROM {db}.steps_hourly_store FINAL
    WHERE hour >= toDateTime('{since}', 'UTC')
) AS s ON l.host = s.host AND l.hour = s.hour
WHERE l.a_steps >= s.steps
SETTINGS join_use_nulls = 0`

// refreshDaily is refreshHourly by day.
const refreshDaily = `INSERT INTO {db}.steps_daily_store
    (host, group, day, avg_cpu, max_cpu, p95_cpu, steps, filled_steps)
SELECT l.host, l.g, l.day, l.a_avg, l.a_max, l.a_p95, l.a_steps, l.a_filled
FROM
(
    SELECT host, argMax(group, ts) AS g, toDate(ts) AS day,
           avg(cpu) AS a_avg, max(cpu) AS a_max, quantile(0.95)(cpu) AS a_p95,
           count() AS a_steps, countIf(filled) AS a_filled
    FROM {db}.steps FINAL
    WHERE ts >= toDateTime64('{since}', 3, 'UTC')
    GROUP BY host, day
) AS l
LEFT JOIN
(
    SELECT host, day, steps FROM {db}.steps_daily_store FINAL
    WHERE day >= toDate('{since}')
) AS s ON l.host = s.host AND l.day = s.day
WHERE l.a_steps >= s.steps
SETTINGS join_use_nulls = 0`

// execer is implemented by both store backends (their migration engine
// runs statements that return no rows); other stores get the statement
// through Query.
type execer interface {
	MigrationEngine() migrate.Engine
}

// Refresh recomputes the stored hourly rollups of database db from the
// start of since's hour (UTC) on, and the daily ones from the start of
// since's day, out of the steps s still holds.
//
// Periods are recomputed whole, never from part of their steps, so since
// may be any time: Refresh rounds it down. A period whose stored row
// counts more steps than the steps table still holds (the steps TTL
// removed some) keeps its stored row. Calling it again with the same
// since stores the same figures: it is idempotent, and safe to run
// concurrently with writes (a step written meanwhile is counted by the
// next call).
//
// The cost is a scan of the steps from since's day on: call it every few
// minutes with since a day or two back (see Runner), not with the whole
// history.
func Refresh(ctx context.Context, s store.Store, db string, since time.Time) error {
	if err := ddl.ValidateDatabase(db); err != nil {
		return fmt.Errorf("refresh rollups: %w", err)
	}
	qdb := ddl.QuoteIdent(db)
	since = since.UTC()

	run := func(ctx context.Context, q string) error {
		_, err := s.Query(ctx, q)
		return err
	}
	if e, ok := s.(execer); ok {
		run = e.MigrationEngine().Exec
	}

	steps := []struct {
		table, sql string
		from       time.Time
	}{
		{"steps_hourly_store", refreshHourly, since.Truncate(time.Hour)},
		{"steps_daily_store", refreshDaily, time.Date(since.Year(), since.Month(), since.Day(), 0, 0, 0, 0, time.UTC)},
	}
	for _, st := range steps {
		q := strings.NewReplacer(
			ddl.Placeholder, qdb,
			"{since}", st.from.Format(time.DateTime),
		).Replace(st.sql)
		if err := run(ctx, q); err != nil {
			return fmt.Errorf("refresh %s: %w", st.table, err)
		}
	}
	return nil
}
