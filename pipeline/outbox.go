package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/cenkalti/backoff/v5"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/scalora/scalora/pipeline/kafka"
	"github.com/scalora/scalora/pipeline/store"
	"github.com/scalora/scalora/schemas"
)

// OutboxConfig bounds what the Outbox holds before writing.
type OutboxConfig struct {
	// FlushRows is the count of pending records at which Add writes inline
	// (a forecast is one record whatever its horizons). Default 20,000.
	FlushRows int `yaml:"flush_rows"`
	// MaxPendingRows is the most records held while the store or Kafka fails;
	// past it Add blocks, retrying, which stops consumption (backpressure).
	// Default 200,000.
	MaxPendingRows int `yaml:"max_pending_rows"`
}

// SetDefaults fills zero fields with the defaults documented on OutboxConfig.
func (c *OutboxConfig) SetDefaults() {
	if c.FlushRows == 0 {
		c.FlushRows = 20_000
	}
	if c.MaxPendingRows == 0 {
		c.MaxPendingRows = 200_000
	}
}

// Validate checks the relationship between the limits.
func (c OutboxConfig) Validate() error {
	if c.FlushRows <= 0 || c.MaxPendingRows < c.FlushRows {
		return fmt.Errorf("outbox: need 0 < flush_rows (%d) <= max_pending_rows (%d)", c.FlushRows, c.MaxPendingRows)
	}
	return nil
}

// Outbox buffers the stages' records and writes them to the store and the
// output topics together.
//
// Add and Flush are safe for concurrent use. Flush writes everything added
// before it started; the Kafka subscriber calls it before committing input
// offsets, which is what makes delivery at-least-once. A failed Flush keeps
// its rows for the next one.
type Outbox struct {
	cfg    OutboxConfig
	store  store.Store
	pub    message.Publisher
	topics Topics
	log    *slog.Logger

	// gate makes taking the pending records and the hosts' states one
	// step: Produce holds it shared while a sample is processed and its
	// records are queued, Flush exclusively while it takes both, so a
	// state never includes a sample whose records it does not take.
	gate     sync.RWMutex
	snapshot func(dst []schemas.HostState) []schemas.HostState

	mu      sync.Mutex // guards pending
	pending store.Batch
	flushMu sync.Mutex // one write at a time, in order

	// spare is the last written batch, emptied, which becomes pending at
	// the next Flush so that pending does not regrow its slices from
	// nothing after every write. Guarded by flushMu.
	spare store.Batch

	flushes   *prometheus.CounterVec
	rows      prometheus.Counter
	dropped   prometheus.Counter
	flushTime prometheus.Histogram
	toStore   prometheus.Histogram
}

// NewOutbox returns an Outbox writing to st and pub. reg may be nil.
func NewOutbox(
	cfg OutboxConfig,
	st store.Store,
	pub message.Publisher,
	topics Topics,
	log *slog.Logger,
	reg prometheus.Registerer,
) (*Outbox, error) {
	cfg.SetDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	o := &Outbox{
		cfg: cfg, store: st, pub: pub, topics: topics, log: log,
		flushes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "scalora_outbox_flushes_total",
			Help: "Writes of buffered records to the store and output topics, by result.",
		}, []string{"result"}),
		rows: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "scalora_outbox_rows_written_total",
			Help: "Records written to the store and output topics.",
		}),
		dropped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "scalora_outbox_rows_dropped_total",
			Help: "Records the store cannot hold (a time outside its range, a non-finite value) dropped before writing.",
		}),
		toStore: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "scalora_sample_to_store_seconds",
			Help:    "From a sample's production (its Kafka timestamp) to the store write of the rows it closed.",
			Buckets: LatencyBuckets,
		}),
		flushTime: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "scalora_outbox_flush_duration_seconds",
			Help:    "Time one write of buffered records took.",
			Buckets: prometheus.ExponentialBuckets(1e-3, 2, 14),
		}),
	}
	if reg != nil {
		reg.MustRegister(o.flushes, o.rows, o.dropped, o.flushTime, o.toStore)
	}
	return o, nil
}

// TrackStates makes every Flush take the hosts' states from snapshot (the
// processor's SnapshotDirty) together with the pending records, and write
// them after those records reached the store and the output topics. Call
// it before the first Produce.
func (o *Outbox) TrackStates(snapshot func(dst []schemas.HostState) []schemas.HostState) {
	o.snapshot = snapshot
}

// Produce runs fill on an empty batch and queues what it appended. fill is
// where a sample is processed: with TrackStates, a Flush never runs
// between the processing and the queueing. If fill fails nothing is
// queued and its error is returned as is.
//
// Before fill, Produce blocks while MaxPendingRows are pending and writes
// fail, retrying, until a write succeeds or ctx ends: the caller stops
// consuming (backpressure). After it, Produce writes inline once FlushRows
// are pending; a failed write keeps its rows for the next try.
func (o *Outbox) Produce(ctx context.Context, b *store.Batch, fill func(*store.Batch) error) error {
	if err := o.waitRoom(ctx); err != nil {
		return err
	}

	o.gate.RLock()
	err := fill(b)
	if err == nil {
		o.mu.Lock()
		appendBatch(&o.pending, b)
		o.mu.Unlock()
	}
	o.gate.RUnlock()
	if err != nil {
		return err
	}

	if o.Pending() >= o.cfg.FlushRows {
		_ = o.Flush(ctx) // kept pending on error; waitRoom holds input if it persists
	}
	return nil
}

// Add queues a copy of b's records, like Produce with a fill that appends
// them.
func (o *Outbox) Add(ctx context.Context, b *store.Batch) error {
	return o.Produce(ctx, new(store.Batch), func(dst *store.Batch) error {
		appendBatch(dst, b)
		return nil
	})
}

// waitRoom returns at once while fewer than MaxPendingRows are pending;
// otherwise it retries Flush until one succeeds or ctx ends.
func (o *Outbox) waitRoom(ctx context.Context) error {
	n := o.Pending()
	if n < o.cfg.MaxPendingRows {
		return nil
	}
	err := o.Flush(ctx)
	if err == nil {
		return nil
	}

	o.log.Warn("outbox full, holding input until the store recovers", "rows", n, "err", err)
	_, err = backoff.Retry(ctx, func() (struct{}, error) {
		return struct{}{}, o.Flush(ctx)
	}, backoff.WithMaxElapsedTime(0))
	if err != nil {
		return fmt.Errorf("outbox full: %w", err)
	}
	return nil
}

// Store is the store the Outbox writes to.
func (o *Outbox) Store() store.Store { return o.store }

// Pending is the number of records not yet written.
func (o *Outbox) Pending() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.pending.Len()
}

// Flush writes every record added before the call: the store first, then
// the output topics. On error the records stay pending.
func (o *Outbox) Flush(ctx context.Context) error {
	o.flushMu.Lock()
	defer o.flushMu.Unlock()

	o.gate.Lock()
	o.mu.Lock()
	batch := o.pending
	o.pending, o.spare = o.spare, store.Batch{}
	o.mu.Unlock()
	if o.snapshot != nil {
		batch.States = o.snapshot(batch.States)
	}
	o.gate.Unlock()

	// Input validation keeps such rows out; if one gets through anyway, it
	// must not refuse every later write and stall the pipeline.
	if n, err := batch.DropInvalid(); n > 0 {
		o.dropped.Add(float64(n))
		o.log.Error("records the store cannot hold were dropped", "count", n, "first", err)
	}
	if batch.Len() == 0 {
		o.spare = batch
		return nil
	}

	start := time.Now()
	err := o.write(ctx, &batch)
	o.flushTime.Observe(time.Since(start).Seconds())
	if err != nil {
		o.flushes.WithLabelValues("error").Inc()
		o.mu.Lock()
		appendBatch(&batch, &o.pending)
		o.pending = batch
		o.mu.Unlock()
		return err
	}

	o.flushes.WithLabelValues("ok").Inc()
	o.rows.Add(float64(batch.Len()))
	now := time.Now()
	for _, t := range batch.Produced {
		o.toStore.Observe(now.Sub(t).Seconds())
	}
	batch.Reset()
	o.spare = batch
	return nil
}

// write stores b's rows, publishes them, and only then stores b's states:
// a state reaching the store says everything before it is out.
func (o *Outbox) write(ctx context.Context, b *store.Batch) error {
	states := b.States
	b.States = nil
	defer func() { b.States = states }()

	if err := o.store.Write(ctx, b); err != nil {
		return fmt.Errorf("write store: %w", err)
	}
	if err := o.publishAll(b); err != nil {
		return err
	}
	if err := o.store.Write(ctx, &store.Batch{States: states}); err != nil {
		return fmt.Errorf("write host states: %w", err)
	}
	return nil
}

// publishAll sends b's records to the output topics.
func (o *Outbox) publishAll(b *store.Batch) error {

	ts := func(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
	var errs []error
	publish := func(topic string, msgs []*message.Message, err error) {
		if err == nil && len(msgs) > 0 {
			err = o.pub.Publish(topic, msgs...)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("publish %s: %w", topic, err))
		}
	}

	msgs, err := encodeAll(b.Forecasts, func(f schemas.Forecast) (string, string) {
		return f.Host, "forecast/" + f.Host + "/" + ts(f.Time)
	})
	publish(o.topics.Forecasts, msgs, err)

	// The store keeps every score (for the dashboards); the topic carries
	// only the anomalies, which is what its consumers alert on.
	msgs, err = encodeAll(anomalous(b.Anomalies), func(a schemas.Anomaly) (string, string) {
		return a.Host, "anomaly/" + a.Host + "/" + ts(a.Time)
	})
	publish(o.topics.Anomalies, msgs, err)

	msgs, err = encodeAll(b.Decisions, func(d schemas.Decision) (string, string) {
		return d.Group, "decision/" + d.Group + "/" + ts(d.Time)
	})
	publish(o.topics.Decisions, msgs, err)

	msgs, err = encodeAll(b.Costs, func(c schemas.Cost) (string, string) {
		return c.Group, "cost/" + c.Group + "/" + ts(c.Time)
	})
	publish(o.topics.Savings, msgs, err)

	return errors.Join(errs...)
}

func anomalous(all []schemas.Anomaly) []schemas.Anomaly {
	var out []schemas.Anomaly
	for _, a := range all {
		if a.Anomalous {
			out = append(out, a)
		}
	}
	return out
}

// appendBatch appends src's records to dst.
func appendBatch(dst, src *store.Batch) {
	dst.Steps = append(dst.Steps, src.Steps...)
	dst.Forecasts = append(dst.Forecasts, src.Forecasts...)
	dst.Anomalies = append(dst.Anomalies, src.Anomalies...)
	dst.Decisions = append(dst.Decisions, src.Decisions...)
	dst.Costs = append(dst.Costs, src.Costs...)
	dst.Opportunities = append(dst.Opportunities, src.Opportunities...)
	dst.Errors = append(dst.Errors, src.Errors...)
	dst.States = append(dst.States, src.States...)
	dst.Produced = append(dst.Produced, src.Produced...)
}

// encodeAll turns records into messages keyed for Kafka. keyAndID returns
// the partition key and a deterministic message ID (its natural key), so a
// consumer can drop the copies that a replay produces.
func encodeAll[T any](recs []T, keyAndID func(T) (string, string)) ([]*message.Message, error) {
	msgs := make([]*message.Message, 0, len(recs))
	for _, r := range recs {
		payload, err := json.Marshal(r)
		if err != nil {
			return nil, fmt.Errorf("encode record: %w", err)
		}
		key, id := keyAndID(r)
		m := message.NewMessage(id, payload)
		m.Metadata.Set(kafka.KeyMetadata, key)
		msgs = append(msgs, m)
	}
	return msgs, nil
}
