// Package store defines where the pipeline's results are kept, and holds its
// two implementations: the embedded ClickHouse engine (chDB, the default) in
// package chdbstore, and ClickHouse servers through clickhouse-go in package
// chstore. Both create their tables from the same DDL in schemas/sql.
package store

import (
	"context"
	"time"

	"github.com/scalora/scalora/schemas"
)

// Batch is the rows one Write stores. Any slice may be empty.
type Batch struct {
	Steps     []schemas.Step
	Forecasts []schemas.Forecast
	Anomalies []schemas.Anomaly
	Decisions []schemas.Decision
	Costs     []schemas.Cost
	// Opportunities are missed scale-downs (table missed_opportunities).
	Opportunities []schemas.Opportunity
	// Errors are one-step forecast errors (table forecast_errors).
	Errors []schemas.ForecastError
	// States are hosts' window states (table host_state). The pipeline
	// writes them in a Write of their own, after the rows they produced.
	States []schemas.HostState

	// Produced holds, for each sample whose records the batch holds, when
	// it was produced (its Kafka record's timestamp). It is not stored:
	// the outbox measures the sample-to-stored-row latency with it.
	Produced []time.Time
}

// Len is the number of rows in b.
func (b *Batch) Len() int {
	return len(b.Steps) + len(b.Forecasts) + len(b.Anomalies) + len(b.Decisions) + len(b.Costs) +
		len(b.Opportunities) + len(b.Errors) + len(b.States)
}

// Reset empties b, keeping its capacity.
func (b *Batch) Reset() {
	b.Steps = b.Steps[:0]
	b.Forecasts = b.Forecasts[:0]
	b.Anomalies = b.Anomalies[:0]
	b.Decisions = b.Decisions[:0]
	b.Costs = b.Costs[:0]
	b.Opportunities = b.Opportunities[:0]
	b.Errors = b.Errors[:0]
	clear(b.States) // drop the window copies
	b.States = b.States[:0]
	b.Produced = b.Produced[:0]
}

// Result is the answer to a query: column names and rows in column order.
type Result struct {
	Columns []string
	Rows    [][]any
}

// Store keeps the pipeline's results.
//
// Write is idempotent: writing a row whose natural key (documented on each
// schemas type) is already stored replaces it, so reads through the tables'
// deduplicated views (or with FINAL) never see a row twice. This is what lets
// the pipeline replay input after a crash (at-least-once delivery).
//
// Write returns only once the rows are durable. A Store is safe for
// concurrent use. Cancelling ctx abandons the call; a Write abandoned that way
// may or may not have stored its rows, and must be retried.
type Store interface {
	// Migrate creates the tables and views that do not exist yet.
	Migrate(ctx context.Context) error

	// Write stores b. It does not keep b after returning.
	Write(ctx context.Context, b *Batch) error

	// Query runs one read-only SQL statement.
	Query(ctx context.Context, query string) (*Result, error)

	// Ping reports whether the store is reachable.
	Ping(ctx context.Context) error

	// Close releases the store. Calls after Close fail.
	Close() error
}
