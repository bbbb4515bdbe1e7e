package opportunity

import (
	"fmt"

	"github.com/scalora/scalora/stages/decision"
)

// UpdateGroup replaces group g.Name's configuration (its target
// utilisation, bounds and stabilisation window) for the steps observed
// from now on. On error nothing changes.
func (d *Detector) UpdateGroup(g decision.GroupConfig) error {
	g.SetDefaults()
	if err := g.Validate(); err != nil {
		return fmt.Errorf("update group: %w", err)
	}

	d.mu.Lock()
	defer d.mu.Unlock()
	groups := make(map[string]decision.GroupConfig, len(d.cfg.Groups)+1)
	for name, old := range d.cfg.Groups {
		groups[name] = old
	}
	groups[g.Name] = g
	d.cfg.Groups = groups
	return nil
}
