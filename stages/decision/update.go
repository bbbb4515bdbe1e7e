package decision

import (
	"fmt"
	"time"
)

// UpdateGroup replaces the configuration of group g.Name while the Decider
// runs (the API's PUT /v1/groups/{group}/config). g gets its defaults and
// is validated first; on error nothing changes.
//
// The group's recommended count is kept: the next decision moves it into
// the new bounds (a scale_up or scale_down the user can act on). Its
// scale-in history restarts, so the new stabilisation window is measured
// from the update, and so does its record of forecast misses (see
// headroom), which was measured against needs of the old rules: it keeps
// no reserve until a boot lead has passed. Steps already pending are
// decided with the new rules; if the new boot time looks further ahead
// than their forecasts were summed for, each host's forecast is taken as
// extended with its last value (as for a short forecast).
func (d *Decider) UpdateGroup(g GroupConfig) error {
	g.SetDefaults()
	if err := g.Validate(); err != nil {
		return fmt.Errorf("update group: %w", err)
	}
	if g.Name == "" {
		return fmt.Errorf("update group: %w: the group has no name", ErrInvalidConfig)
	}

	d.mu.Lock()
	defer d.mu.Unlock()

	if err := d.cfg.validateWindow(g); err != nil {
		return fmt.Errorf("update group: %w", err)
	}

	groups := make(map[string]GroupConfig, len(d.cfg.Groups)+1)
	for name, old := range d.cfg.Groups {
		groups[name] = old
	}
	groups[g.Name] = g
	d.cfg.Groups = groups

	if s := d.groups[g.Name]; s != nil {
		s.reconfigure(g, d.cfg.Step)
	}
	return nil
}

// reconfigure applies a new configuration to a group's running state.
func (s *groupState) reconfigure(g GroupConfig, stepLen time.Duration) {
	s.cfg = g

	s.lead = leadSteps(g.BootTime, stepLen)
	for _, p := range s.steps {
		for len(p.fcSum) < s.lead {
			p.fcSum = append(p.fcSum, p.fcSum[len(p.fcSum)-1])
		}
	}
	s.spare = nil // their sums have the old length

	s.window = max(1, ceilDiv(g.ScaleInStabilization, stepLen))
	s.hist = newHistory(s.window)
	s.head = newHeadroom(&g, s.lead, stepLen)
	s.reserveWhy = reserveSource(&g)
}
