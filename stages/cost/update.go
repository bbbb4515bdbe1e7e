package cost

import (
	"fmt"

	"github.com/scalora/scalora/stages/decision"
)

// UpdateGroup prices group g.Name anew from cat (or its cost_per_hour)
// while the Coster runs, for a configuration changed through the API. On
// error nothing changes. Savings so far are kept.
func (c *Coster) UpdateGroup(cat *Catalog, g decision.GroupConfig) error {
	g.SetDefaults()
	if err := g.Validate(); err != nil {
		return fmt.Errorf("update group: %w", err)
	}
	p, err := priceGroup(cat, g)
	if err != nil {
		return fmt.Errorf("update group %q: %w", g.Name, err)
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	priced := make(map[string]groupPrice, len(c.priced)+1)
	for name, old := range c.priced {
		priced[name] = old
	}
	priced[g.Name] = p
	c.priced = priced
	return nil
}
