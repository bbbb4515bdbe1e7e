package decision

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/scalora/scalora/schemas"
)

// Decider aggregates host forecasts into one decision per (group, step).
//
// A group's step is decided when the first forecast for a later step of
// that group arrives, from the hosts that reported it until then; Flush
// decides what is still pending. Forecasts for a step already decided are
// late and dropped (counted in Stats): with hosts closing steps at
// different moments, a slow host misses its group's decision. Keeping each
// step open for a grace period would fix that at the price of latency.
//
// Decision.Current is the count Scalora last recommended for the group,
// assumed applied: it starts at GroupConfig.Instances and then follows each
// decision's Target. This holds in preview mode too, so that a preview shows
// exactly the decisions enforce mode would have sent. Demand, however, is
// always measured against GroupConfig.Instances (the hosts' CPU is taken as
// measured on that many instances); once a user applies decisions, per-host
// CPU reflects the applied count instead and demand is overstated. Reading
// the running count from the user's scaler would remove that assumption.
//
// A group that has no Ready host at a step is maintained, even when its
// current demand exceeds its capacity: the reactive signal alone does not
// move it yet.
//
// State is kept per group seen, for the life of the Decider, and is not
// shared between pipeline instances (see the package doc). A Decider is
// safe for concurrent use; calls are serialised by one mutex.
type Decider struct {
	cfg Config

	mu     sync.Mutex
	groups map[string]*groupState
	stats  Stats
}

// Stats counts forecasts the Decider did not use.
type Stats struct {
	// Late counts forecasts for a step their group had already decided.
	Late uint64
	// Invalid counts forecasts whose values or CPU were not finite.
	Invalid uint64
}

// New returns a Decider. cfg is copied; SetDefaults is applied to the copy
// and the result validated.
func New(cfg Config) (*Decider, error) {
	cfg.SetDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("new decider: %w", err)
	}
	return &Decider{cfg: cfg, groups: make(map[string]*groupState)}, nil
}

// Observe takes the forecast made when one host's step closed, with that
// step's CPU in percent. It returns the decision of the group's previous
// pending step when f opens a later step, and nil otherwise. Observe does
// not retain f.Values. A forecast with an empty Group counts towards
// schemas.DefaultGroup. Horizons are counted in Config.Step; f.StepSeconds
// is not checked against it.
func (d *Decider) Observe(f schemas.Forecast, cpuNow float64) []schemas.Decision {
	if !finite(cpuNow) || slices.ContainsFunc(f.Values, notFinite) {
		d.mu.Lock()
		d.stats.Invalid++
		d.mu.Unlock()
		return nil
	}

	name := cmp.Or(f.Group, schemas.DefaultGroup)

	d.mu.Lock()
	defer d.mu.Unlock()

	s := d.groups[name]
	if s == nil {
		s = newGroupState(d.cfg.Group(name), d.cfg.Step)
		d.groups[name] = s
	}

	if s.decidedAny && !f.Time.After(s.lastDecided) {
		d.stats.Late++
		return nil
	}

	var out []schemas.Decision
	switch {
	case !s.pending.open:
		s.pending.reset(f.Time)
	case f.Time.After(s.pending.time):
		out = []schemas.Decision{s.close(d.cfg.Step)}
		s.pending.reset(f.Time)
	case f.Time.Before(s.pending.time):
		d.stats.Late++
		return nil
	}

	s.pending.add(f.Values, cpuNow, f.Ready, f.Model, f.Reason)
	return out
}

// Flush decides every group's pending step, for the end of a replay, and
// returns the decisions sorted by group. Forecasts for those steps that
// arrive afterwards are late.
func (d *Decider) Flush() []schemas.Decision {
	d.mu.Lock()
	defer d.mu.Unlock()

	var out []schemas.Decision
	for _, s := range d.groups {
		if s.pending.open {
			out = append(out, s.close(d.cfg.Step))
		}
	}
	slices.SortFunc(out, func(a, b schemas.Decision) int { return cmp.Compare(a.Group, b.Group) })
	return out
}

// Stats returns the counts of forecasts not used so far.
func (d *Decider) Stats() Stats {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.stats
}

// close decides the pending step and marks it decided.
func (s *groupState) close(stepLen time.Duration) schemas.Decision {
	dec := s.decide(stepLen)
	s.lastDecided, s.decidedAny = s.pending.time, true
	s.pending.open = false
	return dec
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func notFinite(v float64) bool { return !finite(v) }
