package opportunity

import (
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/stages/decision"
)

// ceilSlack absorbs floating-point error before rounding up, as the
// decision stage does: 8.4 instance-units at 60 % need 14, not 15.
const ceilSlack = 1e-9

// Detector turns the stream of priced decisions into missed scale-downs.
//
// For each decision it compares what the group ran during the step with
// what the step's demand needed:
//
//   - running is the static count (Cost.StaticInstances) in preview mode,
//     where nobody applies the recommendations, and the decided count
//     (Cost.DecidedInstances) in enforce mode;
//   - needed is ceil(DemandNow / target utilisation), at least 1 and at
//     most the group's max_instances. It is not raised to min_instances,
//     so a floor set above the need shows as an opportunity (its reason
//     says so). It uses the demand observed at the step, not the forecast:
//     in hindsight that is what the instances served.
//
// An interval ends at the first step without an excess, at a gap in the
// group's steps, or at Flush; it is reported when it ends if it lasted at
// least the group's scale_in_stabilization (one step at least) in preview
// mode, and in enforce mode longer than Scalora's own scale-in takes
// (the window plus one step per max_scale_in_step instances; see
// minSteps). An
// interval still open is not reported, so a process that stops without
// Flush loses it until its input is replayed.
//
// A decision older than or equal to the group's last one (a replay)
// discards the group's open interval and starts again from it: the
// intervals the replay closes are reported again with the same (Group,
// Start) and replace the stored ones. A replay starting inside an interval
// reports it from a later start, a second row next to the first.
//
// A Detector is safe for concurrent use.
type Detector struct {
	cfg decision.Config

	mu     sync.Mutex
	groups map[string]*groupState
}

// groupState is a group's last step and its open interval, if any.
type groupState struct {
	last    time.Time // time of the last decision observed
	seen    bool
	open    bool
	iv      interval
	stepLen time.Duration
}

// interval is an open run of steps with an excess.
type interval struct {
	start, end   time.Time
	steps        int
	removable    int
	maxRunning   int
	maxNeeded    int
	provider     string
	instanceType string
	price        float64
	mode         schemas.Mode
}

// New returns a Detector for the groups of cfg, the decision config the
// Decider runs with (copied and given its defaults). The error wraps
// decision.ErrInvalidConfig.
func New(cfg decision.Config) (*Detector, error) {
	cfg.SetDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("new opportunity detector: %w", err)
	}
	return &Detector{cfg: cfg, groups: make(map[string]*groupState)}, nil
}

// Observe adds one priced decision (c must be the Cost of d) and returns
// the intervals it ends, usually none. The returned slice is the
// caller's.
func (d *Detector) Observe(dec schemas.Decision, c schemas.Cost) []schemas.Opportunity {
	d.mu.Lock()
	defer d.mu.Unlock()

	g := d.cfg.Group(dec.Group)
	s := d.groups[dec.Group]
	if s == nil {
		s = &groupState{}
		d.groups[dec.Group] = s
	}
	stepLen := time.Duration(c.StepSeconds) * time.Second
	if stepLen <= 0 {
		stepLen = d.cfg.Step
	}

	var out []schemas.Opportunity
	switch {
	case s.seen && !dec.Time.After(s.last):
		s.open = false // a replay: it will rebuild the interval
	case s.open && (!dec.Time.Equal(s.iv.end) || stepLen != s.stepLen):
		out = d.close(out, dec.Group, s, &g) // a gap in the group's steps
	}
	s.last, s.seen, s.stepLen = dec.Time, true, stepLen

	running := c.DecidedInstances
	if dec.Mode == schemas.ModePreview {
		running = c.StaticInstances
	}
	needed := needed(dec.DemandNow, &g)
	if running <= needed {
		return d.close(out, dec.Group, s, &g)
	}

	if !s.open {
		s.open = true
		s.iv = interval{
			start: dec.Time, removable: running - needed, provider: c.Provider,
			instanceType: c.InstanceType, price: c.PricePerHour, mode: dec.Mode,
		}
	}
	iv := &s.iv
	iv.end = dec.Time.Add(stepLen)
	iv.steps++
	iv.removable = min(iv.removable, running-needed)
	iv.maxRunning = max(iv.maxRunning, running)
	iv.maxNeeded = max(iv.maxNeeded, needed)
	return out
}

// Flush ends every open interval, for the end of a replay, and returns
// those long enough to report. Observing again afterwards starts new
// intervals.
func (d *Detector) Flush() []schemas.Opportunity {
	d.mu.Lock()
	defer d.mu.Unlock()

	var out []schemas.Opportunity
	for name, s := range d.groups {
		g := d.cfg.Group(name)
		out = d.close(out, name, s, &g)
	}
	return out
}

// close ends s's open interval, appending it to out when it lasted the
// stabilisation window.
func (d *Detector) close(out []schemas.Opportunity, group string, s *groupState, g *decision.GroupConfig) []schemas.Opportunity {
	if !s.open {
		return out
	}
	s.open = false

	iv := &s.iv
	if iv.steps < minSteps(iv, g, s.stepLen) {
		return out
	}

	hours := float64(iv.removable) * iv.end.Sub(iv.start).Hours()
	return append(out, schemas.Opportunity{
		Group: group, Start: iv.start, End: iv.end,
		Provider: iv.provider, InstanceType: iv.instanceType,
		Removable: iv.removable, InstanceHours: hours, Dollars: hours * iv.price,
		Reason: reason(iv, g),
	})
}

// minSteps is how long an excess must last to count as missed. In
// preview mode that is the stabilisation window: the static count could
// have been lowered once demand stayed low that long. In enforce mode the
// running count is Scalora's own, which by design waits the window and
// then removes at most max_scale_in_step instances a step; an excess that
// lasts no longer than that is the price of its damping, not a missed
// opportunity, so only a longer one counts.
func minSteps(iv *interval, g *decision.GroupConfig, stepLen time.Duration) int {
	window := max(1, int(math.Ceil(float64(g.ScaleInStabilization)/float64(stepLen))))
	if iv.mode != schemas.ModeEnforce {
		return window
	}
	step := max(1, g.MaxScaleInStep)
	return window + (iv.removable+step-1)/step + 1
}

// needed is the instances demand needs at the group's target
// utilisation, at least 1 and at most max_instances.
func needed(demand float64, g *decision.GroupConfig) int {
	n := int(math.Ceil(demand/g.TargetUtilization - ceilSlack))
	return min(max(n, 1), g.MaxInstances)
}
