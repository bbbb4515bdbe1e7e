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

// HostStages are the stages that keep per-host state: one set serves one
// shard of the hosts (the hosts of one input partition).
type HostStages struct {
	Window   Windower
	Forecast Forecaster
	Anomaly  Scorer
}

// Stages is the chain a Processor runs, in order: the host stages of the
// sample's shard, then the group stages shared by every shard.
type Stages struct {
	// NewHostStages builds the host stages of a new shard. Each shard's
	// are called under that shard's lock only, so shards run in parallel.
	NewHostStages func() (HostStages, error)

	Decision    Decider
	Cost        Coster
	Opportunity OpportunityFinder
}

// Processor runs the stage chain on one sample at a time.
//
// Process is safe for concurrent use. Hosts are sharded by the input
// partition their samples come from (Sample.Partition), since a host is
// always read from one partition: each shard has its own window, forecast
// and anomaly stages under its own lock, so the partitions' handlers run
// the costly part of the chain in parallel. The group stages (decision,
// cost, opportunity) are shared and run under one lock, after the shard's
// is released; they cost little per step.
//
// A Processor serves every partition of one process; a host's state lives
// in the shard of its partition, and moves with the partition (see
// SnapshotDirty and Restore).
type Processor struct {
	stages  Stages
	live    *Live
	metrics *metrics

	shardsMu sync.RWMutex
	shards   map[int32]*shard

	groupMu sync.Mutex // guards the group stages

	processed atomic.Int64
}

// shard is the host stages of one input partition and their lock.
type shard struct {
	mu       sync.Mutex
	stages   HostStages
	accuracy *accuracy
	closed   []window.Closed

	// reports are the forecasts this call produced, handed to the group
	// stages after mu is released; reused between calls (under mu, then
	// groupMu, in that order).
	reports []report
}

// report is what the group stages need of one closed step.
type report struct {
	f      schemas.Forecast
	cpuNow float64
}

// NewProcessor returns a Processor over stages. live may be nil; reg may be
// nil (no metrics). The first shard is built at once, so that a stage
// configuration error shows here.
func NewProcessor(stages Stages, live *Live, reg prometheus.Registerer) (*Processor, error) {
	if stages.NewHostStages == nil || stages.Decision == nil || stages.Cost == nil || stages.Opportunity == nil {
		return nil, fmt.Errorf("new processor: every stage is required")
	}
	p := &Processor{stages: stages, live: live, metrics: newMetrics(reg), shards: map[int32]*shard{}}
	if _, err := p.shard(0); err != nil {
		return nil, err
	}
	return p, nil
}

// shard returns the shard of partition, building it on first use.
func (p *Processor) shard(partition int32) (*shard, error) {
	p.shardsMu.RLock()
	sh := p.shards[partition]
	p.shardsMu.RUnlock()
	if sh != nil {
		return sh, nil
	}

	p.shardsMu.Lock()
	defer p.shardsMu.Unlock()
	if sh := p.shards[partition]; sh != nil {
		return sh, nil
	}
	hs, err := p.stages.NewHostStages()
	if err != nil {
		return nil, fmt.Errorf("new processor shard: %w", err)
	}
	if hs.Window == nil || hs.Forecast == nil || hs.Anomaly == nil {
		return nil, fmt.Errorf("new processor shard: every host stage is required")
	}
	sh = &shard{stages: hs, accuracy: newAccuracy()}
	p.shards[partition] = sh
	return sh, nil
}

// allShards returns the shards, for the calls that visit every host.
func (p *Processor) allShards() []*shard {
	p.shardsMu.RLock()
	defer p.shardsMu.RUnlock()
	out := make([]*shard, 0, len(p.shards))
	for _, sh := range p.shards {
		out = append(out, sh)
	}
	return out
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
	p.metrics.samples.Inc()
	p.processed.Add(1)

	sh, err := p.shard(s.Partition)
	if err != nil {
		return err
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()

	start := time.Now()
	sh.closed, err = sh.stages.Window.Add(s, sh.closed[:0])
	p.metrics.observe(stageWindow, start, len(sh.closed), err)
	switch {
	case err == nil:
		return p.closeSteps(sh, out) // first: the checks below cost an allocation
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
	return fmt.Errorf("window: %w", err)
}

// closeSteps runs the stages after the window on the shard's closed steps:
// the host stages under the shard's lock (held by the caller), then the
// group stages under theirs.
func (p *Processor) closeSteps(sh *shard, out *store.Batch) error {
	if len(sh.closed) == 0 {
		return nil
	}
	sh.reports = sh.reports[:0]
	for i := range sh.closed {
		c := &sh.closed[i]
		out.Steps = append(out.Steps, c.Step)

		start := time.Now()
		f := sh.stages.Forecast.Forecast(*c)
		p.metrics.observe(stageForecast, start, 1, nil)
		out.Forecasts = append(out.Forecasts, f)

		start = time.Now()
		a := sh.stages.Anomaly.Score(*c)
		sh.stages.Anomaly.ObserveForecast(f)
		p.metrics.observe(stageAnomaly, start, 1, nil)
		out.Anomalies = append(out.Anomalies, a)

		var judged *schemas.ForecastError
		if e, ok := sh.accuracy.observe(c.Step, f); ok {
			out.Errors = append(out.Errors, e)
			judged = &e
		}
		p.live.observeHost(c.Step, f, a, judged)
		sh.reports = append(sh.reports, report{f: f, cpuNow: math.Min(c.Step.CPU, 100)})
	}

	p.groupMu.Lock()
	defer p.groupMu.Unlock()
	for _, r := range sh.reports {
		if err := p.observeGroup(r.f, r.cpuNow, out); err != nil {
			return err
		}
	}
	return nil
}

// observeGroup gives one host forecast to the decision stage and prices
// the decisions it completes into out. p.groupMu is held.
func (p *Processor) observeGroup(f schemas.Forecast, cpuNow float64, out *store.Batch) error {
	start := time.Now()
	decisions := p.stages.Decision.Observe(f, cpuNow)
	p.metrics.observe(stageDecision, start, len(decisions), nil)
	return p.decide(decisions, out)
}

// decide prices decisions and appends both to out. p.groupMu is held.
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
	p.groupMu.Lock()
	defer p.groupMu.Unlock()

	start := time.Now()
	decisions := p.stages.Decision.Flush()
	p.metrics.observe(stageDecision, start, len(decisions), nil)
	if err := p.decide(decisions, out); err != nil {
		return err
	}
	out.Opportunities = append(out.Opportunities, p.stages.Opportunity.Flush()...)
	return nil
}

// SnapshotDirty appends the state of every host changed since the last
// call (see window.Windower.SnapshotDirty), tagged with source: its window,
// and the forecast stage's state of it when that stage is a
// HostStateKeeper.
func (p *Processor) SnapshotDirty(source string, dst []schemas.HostState) []schemas.HostState {
	for _, sh := range p.allShards() {
		sh.mu.Lock()
		from := len(dst)
		dst = sh.stages.Window.SnapshotDirty(source, dst)
		if k, ok := sh.stages.Forecast.(HostStateKeeper); ok {
			for i := range dst[from:] {
				k.SnapshotHost(&dst[from+i])
			}
		}
		sh.mu.Unlock()
	}
	return dst
}

// Restore gives each state to the window stage of its partition's shard,
// then to its forecast stage when that is a HostStateKeeper. A state the
// windower refuses (another step or size, damaged) is counted and skipped:
// its host starts afresh. A forecast state refused is counted as
// "forecast_refused" (the host's window is still restored, its blend
// starts afresh). It returns how many windows were restored and the first
// refusal, for the log.
func (p *Processor) Restore(states []schemas.HostState) (restored int, firstErr error) {
	for _, hs := range states {
		sh, err := p.shard(hs.Partition)
		if err == nil {
			sh.mu.Lock()
			err = sh.stages.Window.Restore(hs)
			if k, ok := sh.stages.Forecast.(HostStateKeeper); ok && err == nil {
				if kerr := k.RestoreHost(hs); kerr != nil {
					p.metrics.restored.WithLabelValues("forecast_refused").Inc()
				}
			}
			sh.mu.Unlock()
		}
		if err != nil {
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

// CloseIdle runs the chain on the steps the windowers close for hosts that
// went silent (window.Config.IdleTimeout), appending the records to out.
func (p *Processor) CloseIdle(out *store.Batch) error {
	for _, sh := range p.allShards() {
		if err := p.closeIdle(sh, out); err != nil {
			return err
		}
	}
	return nil
}

func (p *Processor) closeIdle(sh *shard, out *store.Batch) error {
	sh.mu.Lock()
	defer sh.mu.Unlock()

	start := time.Now()
	sh.closed = sh.stages.Window.CloseIdle(sh.closed[:0])
	p.metrics.observe(stageWindow, start, len(sh.closed), nil)
	return p.closeSteps(sh, out)
}

// isLate says whether err rejects a sample as late.
func isLate(err error) bool {
	var se *schemas.SampleError
	return errors.As(err, &se) && se.Reason == schemas.ReasonLate
}

// ReplayPending hands the group stages the stored forecasts that their
// group steps were still waiting on when the process that made them
// stopped (store.LoadPending), oldest first, and appends the decisions they
// complete to out. Without it, a group step whose hosts had all reported
// before a crash would never be decided: the restored hosts do not report
// it again.
func (p *Processor) ReplayPending(pending []store.Pending, out *store.Batch) error {
	p.groupMu.Lock()
	defer p.groupMu.Unlock()

	for _, pe := range pending {
		if err := p.observeGroup(pe.Forecast, math.Min(pe.CPU, 100), out); err != nil {
			return err
		}
	}
	return nil
}
