package pipeline

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/scalora/scalora/pipeline/store"
	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/stages/window"
)

// Stages is the chain a Processor runs, in order.
type Stages struct {
	Window      Windower
	Forecast    Forecaster
	Anomaly     Scorer
	Decision    Decider
	Cost        Coster
	Opportunity OpportunityFinder
}

// Processor runs the stage chain on one sample at a time.
//
// Process is safe for concurrent use: one lock guards all stage state. That
// serialises the chain; a sharded processor (one chain per partition) is
// what would lift it, and is not built yet.
type Processor struct {
	mu      sync.Mutex
	stages  Stages
	live    *Live
	metrics *metrics
	closed  []window.Closed

	processed atomic.Int64
}

// NewProcessor returns a Processor over stages. live may be nil; reg may be
// nil (no metrics).
func NewProcessor(stages Stages, live *Live, reg prometheus.Registerer) (*Processor, error) {
	if stages.Window == nil || stages.Forecast == nil || stages.Anomaly == nil ||
		stages.Decision == nil || stages.Cost == nil || stages.Opportunity == nil {
		return nil, fmt.Errorf("new processor: every stage is required")
	}
	return &Processor{stages: stages, live: live, metrics: newMetrics(reg)}, nil
}

// Labels of scalora_samples_dropped_total.
const (
	droppedReplayed  = "replayed"
	droppedDuplicate = "duplicate"
)

// Process runs s through the chain and appends every record it produced to
// out. A sample the windower cannot place is returned as an error wrapping
// *schemas.SampleError, and produces nothing. A replayed or duplicate
// sample (see Windower) produces nothing and no error: it is counted in
// scalora_samples_dropped_total.
func (p *Processor) Process(s schemas.Sample, out *store.Batch) error {
	p.mu.Lock()
	defer p.mu.Unlock()

	p.metrics.samples.Inc()
	p.processed.Add(1)

	start := time.Now()
	var err error
	p.closed, err = p.stages.Window.Add(s, p.closed[:0])
	p.metrics.observe(stageWindow, start, len(p.closed), err)
	switch {
	case errors.Is(err, window.ErrReplayed):
		p.metrics.dropped.WithLabelValues(droppedReplayed).Inc()
		return nil
	case errors.Is(err, window.ErrDuplicate):
		p.metrics.dropped.WithLabelValues(droppedDuplicate).Inc()
		p.live.observeDuplicate(s.Host)
		return nil
	case isLate(err):
		p.live.observeLate(s.Host)
	}
	if errors.Is(err, window.ErrTooManyHosts) {
		// Retrying cannot help: reject it like invalid input.
		return &schemas.SampleError{Reason: schemas.ReasonHostLimit, Detail: err.Error()}
	}
	if err != nil {
		return fmt.Errorf("window: %w", err)
	}

	for i := range p.closed {
		if err := p.closeStep(&p.closed[i], out); err != nil {
			return err
		}
	}
	return nil
}

// closeStep runs the stages after the window on one closed step.
func (p *Processor) closeStep(c *window.Closed, out *store.Batch) error {
	out.Steps = append(out.Steps, c.Step)

	start := time.Now()
	f := p.stages.Forecast.Forecast(*c)
	p.metrics.observe(stageForecast, start, 1, nil)
	out.Forecasts = append(out.Forecasts, f)

	start = time.Now()
	a := p.stages.Anomaly.Score(*c)
	p.stages.Anomaly.ObserveForecast(f)
	p.metrics.observe(stageAnomaly, start, 1, nil)
	out.Anomalies = append(out.Anomalies, a)

	p.live.observeHost(c.Step, f, a)

	start = time.Now()
	decisions := p.stages.Decision.Observe(f, math.Min(c.Step.CPU, 100))
	p.metrics.observe(stageDecision, start, len(decisions), nil)

	return p.decide(decisions, out)
}

// decide prices decisions and appends both to out.
func (p *Processor) decide(decisions []schemas.Decision, out *store.Batch) error {
	for _, d := range decisions {
		start := time.Now()
		cost, err := p.stages.Cost.Cost(d)
		p.metrics.observe(stageCost, start, 1, err)
		if err != nil {
			return fmt.Errorf("cost of group %q: %w", d.Group, err)
		}

		out.Decisions = append(out.Decisions, d)
		out.Costs = append(out.Costs, cost)
		out.Opportunities = append(out.Opportunities, p.stages.Opportunity.Observe(d, cost)...)
		p.live.observeGroup(d, cost)
	}
	return nil
}

// Processed is the number of samples Process has been given, placed or not.
func (p *Processor) Processed() int64 { return p.processed.Load() }

// Flush decides every pending group step, for the end of a replay.
// It does not close the hosts' open steps: their samples may still be
// completed by later input.
func (p *Processor) Flush(out *store.Batch) error {
	p.mu.Lock()
	defer p.mu.Unlock()

	start := time.Now()
	decisions := p.stages.Decision.Flush()
	p.metrics.observe(stageDecision, start, len(decisions), nil)
	if err := p.decide(decisions, out); err != nil {
		return err
	}
	out.Opportunities = append(out.Opportunities, p.stages.Opportunity.Flush()...)
	return nil
}

// SnapshotDirty appends the window state of every host changed since the
// last call (see window.Windower.SnapshotDirty), tagged with source.
func (p *Processor) SnapshotDirty(source string, dst []schemas.HostState) []schemas.HostState {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stages.Window.SnapshotDirty(source, dst)
}

// Restore gives the window stage the states read back from the store. A
// state the windower refuses (another step or size, damaged) is counted and
// skipped: its host starts afresh. It returns how many were restored and
// the first refusal, for the log.
func (p *Processor) Restore(states []schemas.HostState) (restored int, firstErr error) {
	p.mu.Lock()
	defer p.mu.Unlock()

	for _, hs := range states {
		if err := p.stages.Window.Restore(hs); err != nil {
			p.metrics.restored.WithLabelValues("refused").Inc()
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		restored++
		p.metrics.restored.WithLabelValues("ok").Inc()
	}
	return restored, firstErr
}

// isLate says whether err rejects a sample as late.
func isLate(err error) bool {
	var se *schemas.SampleError
	return errors.As(err, &se) && se.Reason == schemas.ReasonLate
}

// CloseIdle runs the chain on the steps the windower closes for hosts that
// went silent (window.Config.IdleTimeout), appending the records to out.
func (p *Processor) CloseIdle(out *store.Batch) error {
	p.mu.Lock()
	defer p.mu.Unlock()

	start := time.Now()
	p.closed = p.stages.Window.CloseIdle(p.closed[:0])
	p.metrics.observe(stageWindow, start, len(p.closed), nil)
	for i := range p.closed {
		if err := p.closeStep(&p.closed[i], out); err != nil {
			return err
		}
	}
	return nil
}
