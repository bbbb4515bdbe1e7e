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
// A group's step is decided once every host known in the group has
// reported it, or once the group has seen a step Config.WaitSteps later
// (hosts silent that long then leave the group until they report again);
// Flush decides what is still pending. So hosts whose steps close at
// different moments, for instance on partitions consumed at different
// speeds, still count in their group's decision, as long as they lag by
// less than the wait. Forecasts for a step already decided are late and
// dropped (counted in Stats). Membership is learnt from the stream: a
// group's first decisions wait WaitSteps so that its hosts are known, and a
// host that first reports after a step was decided is not in that step.
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
// step's CPU in percent. It returns the decisions of the group's steps
// that f completed, oldest first (see Decider), or nil. It sizes from
// f.ModelValues when set, else from f.Values, and retains neither. A
// forecast with an empty Group counts towards schemas.DefaultGroup.
// Horizons are counted in Config.Step; f.StepSeconds is not checked
// against it.
func (d *Decider) Observe(f schemas.Forecast, cpuNow float64) []schemas.Decision {
	values := f.OwnValues() // see schemas.Forecast.ModelValues
	if !finite(cpuNow) || slices.ContainsFunc(values, notFinite) {
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

	s.step(f.Time).add(values, cpuNow, f.Ready, f.Model, f.Reason)
	if last, ok := s.members[f.Host]; !ok || f.Time.After(last) {
		s.members[f.Host] = f.Time
	}
	if s.first.IsZero() || f.Time.Before(s.first) {
		s.first = f.Time
	}
	if f.Time.After(s.newest) {
		s.newest = f.Time
	}

	var out []schemas.Decision
	for len(s.steps) > 0 && s.ready(s.steps[0], d.cfg.Step, d.cfg.WaitSteps) {
		out = append(out, s.close(d.cfg.Step))
	}
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
		for len(s.steps) > 0 {
			out = append(out, s.close(d.cfg.Step))
		}
	}
	slices.SortStableFunc(out, func(a, b schemas.Decision) int { return cmp.Compare(a.Group, b.Group) })
	return out
}

// Stats returns the counts of forecasts not used so far.
func (d *Decider) Stats() Stats {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.stats
}

// close decides the oldest pending step and marks it decided.
func (s *groupState) close(stepLen time.Duration) schemas.Decision {
	p := s.steps[0]
	dec := s.decide(p, stepLen)
	s.lastDecided, s.decidedAny = p.time, true
	s.steps = slices.Delete(s.steps, 0, 1)
	s.spare = append(s.spare, p)
	return dec
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func notFinite(v float64) bool { return !finite(v) }
