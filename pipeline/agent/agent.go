package agent

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/cenkalti/backoff/v5"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/scalora/scalora/schemas"
)

// Agent samples the host's CPU every Interval and hands the samples to a
// Sender from its own goroutine. Create it with New and start it with Run
// once; its methods are not meant to be called concurrently with Run
// except Buffered.
type Agent struct {
	cfg     Config
	send    Sender
	log     *slog.Logger
	metrics *metrics
	buf     *buffer

	prev *Stat // last reading; nil until the first
}

// New checks cfg (defaulting it) and registers the agent's metrics on reg;
// nil reg means no metrics, nil logger means no logs. The Agent does not
// own send.
func New(cfg Config, send Sender, logger *slog.Logger, reg prometheus.Registerer) (*Agent, error) {
	cfg.SetDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("agent config: %w", err)
	}
	if send == nil {
		return nil, fmt.Errorf("agent: %w", ErrNoDestination)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}

	m, err := newMetrics(reg)
	if err != nil {
		return nil, err
	}

	a := &Agent{cfg: cfg, send: send, log: logger, metrics: m}
	a.buf = newBuffer(cfg.BufferSize, func(n int) { m.dropped.Add(float64(n)) })
	return a, nil
}

// Buffered returns how many samples wait to be sent. Safe to call at any
// time.
func (a *Agent) Buffered() int { return a.buf.len() }

// Run samples until ctx is cancelled, then returns nil. Samples still
// buffered at that point are not sent (see the package doc).
func (a *Agent) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	done := make(chan struct{})
	go func() {
		defer close(done)
		a.sendLoop(ctx)
	}()
	defer func() { <-done }()

	ticks := a.cfg.Ticks
	if ticks == nil {
		t := time.NewTicker(a.cfg.Interval)
		defer t.Stop()
		ticks = t.C
	}

	a.log.Info("agent started", "host", a.cfg.Host, "interval", a.cfg.Interval)
	a.sample(time.Now()) // prime the counters now, not one interval late
	for {
		select {
		case <-ctx.Done():
			a.log.Info("agent stopped", "unsent", a.buf.len())
			return nil
		case now := <-ticks:
			a.sample(now)
		}
	}
}

// sample reads /proc/stat and, from the second reading on, buffers a
// sample. A failed reading is logged and skipped; the next one is measured
// against the last good reading.
func (a *Agent) sample(now time.Time) {
	st, err := ReadProcStat(a.cfg.Proc)
	if err != nil {
		a.log.Warn("cpu reading failed", "err", err)
		return
	}

	prev := a.prev
	a.prev = &st
	if prev == nil {
		return
	}
	pct, err := Percent(prev.CPU, st.CPU)
	if err != nil {
		a.log.Warn("cpu reading skipped", "err", err)
		return
	}

	a.buf.push(schemas.Sample{
		Version: schemas.SampleVersion,
		Host:    a.cfg.Host,
		Group:   a.cfg.Group,
		Time:    now.UTC(),
		CPU:     pct,
		Cores:   float64(st.Cores),
	})
	a.metrics.buffered.Set(float64(a.buf.len()))
}

// sendLoop sends the buffer's oldest samples until ctx is cancelled,
// backing off while the destination fails.
func (a *Agent) sendLoop(ctx context.Context) {
	bo := backoff.NewExponentialBackOff()
	bo.InitialInterval, bo.MaxInterval = a.cfg.RetryInitial, a.cfg.RetryMax
	down := false

	for {
		if a.buf.len() == 0 {
			select {
			case <-ctx.Done():
				return
			case <-a.buf.ready:
				continue
			}
		}

		batch := a.buf.take(a.cfg.MaxBatch)
		err := a.send.Send(ctx, batch)
		switch {
		case err == nil:
			a.metrics.sent.Add(float64(len(batch)))
			if down {
				a.log.Info("destination back", "buffered", a.buf.len())
			}
			down = false
			bo.Reset()

		case errors.Is(err, ErrRejected):
			a.metrics.rejected.Add(float64(len(batch)))
			a.log.Warn("batch rejected, dropped", "samples", len(batch), "err", err)

		default:
			a.metrics.failures.Inc()
			a.buf.requeue(batch)
			if !down {
				a.log.Warn("destination down, buffering", "err", err)
			}
			down = true
			if !sleep(ctx, bo.NextBackOff()) {
				return
			}
		}
		a.metrics.buffered.Set(float64(a.buf.len()))
	}
}

// sleep waits d or until ctx is done; it reports whether d elapsed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
