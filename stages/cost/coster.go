package cost

import (
	"cmp"
	"fmt"
	"sync"
	"time"

	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/stages/decision"
)

// Coster prices decisions. It resolves every configured group's price when
// it is built, so an unknown instance type stops the start rather than
// failing message after message. A Coster is safe for concurrent use.
type Coster struct {
	step time.Duration

	// priced holds the configured groups; def is the default group's price,
	// used under their own names by groups the config does not list.
	priced map[string]groupPrice
	def    groupPrice

	mu  sync.Mutex // guards priced (replaced by UpdateGroup) and cum
	cum map[string]*running
}

// groupPrice is what costing a group's decision needs from its config.
type groupPrice struct {
	provider, region, instanceType string
	perHour                        float64
	static                         int
}

// running is a group's savings so far.
type running struct {
	savings float64
	last    time.Time // time of the last decision added
}

// New returns a Coster for the groups of cfg, the same decision config the
// Decider runs with (cfg is copied and given its defaults). A group's price
// is its CostPerHour when set, else the catalog's; the step is cfg.Step.
// The error wraps ErrUnknownRegion or ErrUnknownInstanceType for a group
// the catalog cannot price, or decision.ErrInvalidConfig.
func New(cat *Catalog, cfg decision.Config) (*Coster, error) {
	cfg.SetDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("new coster: %w", err)
	}

	def, err := priceGroup(cat, cfg.Default)
	if err != nil {
		return nil, fmt.Errorf("new coster: default group: %w", err)
	}
	priced := make(map[string]groupPrice, len(cfg.Groups))
	for name, g := range cfg.Groups {
		p, err := priceGroup(cat, g)
		if err != nil {
			return nil, fmt.Errorf("new coster: group %q: %w", name, err)
		}
		priced[name] = p
	}

	return &Coster{
		step:   cfg.Step,
		priced: priced,
		def:    def,
		cum:    make(map[string]*running),
	}, nil
}

func priceGroup(cat *Catalog, g decision.GroupConfig) (groupPrice, error) {
	p := groupPrice{
		provider: g.Provider, region: g.Region, instanceType: g.InstanceType,
		perHour: g.CostPerHour, static: g.Instances,
	}
	if p.perHour > 0 {
		return p, nil
	}

	perHour, err := cat.Price(g.Provider, g.Region, g.InstanceType)
	if err != nil {
		return p, err
	}
	p.perHour = perHour
	return p, nil
}

// Cost prices one step of a decision: the group's static count and the
// decision's target, each times the price and the step in hours. It adds
// the savings to the group's running total unless the decision is not
// later than the last one added for that group (a redelivery, or a second
// pipeline instance's view of the same step), so totals do not count a
// step twice. It fails only on a negative target.
func (c *Coster) Cost(d schemas.Decision) (schemas.Cost, error) {
	if d.Target < 0 {
		return schemas.Cost{}, fmt.Errorf("cost decision of group %q at %s: negative target %d",
			d.Group, d.Time.Format(time.RFC3339), d.Target)
	}

	group := cmp.Or(d.Group, schemas.DefaultGroup)
	c.mu.Lock() // UpdateGroup may replace priced
	p, ok := c.priced[group]
	c.mu.Unlock()
	if !ok {
		p = c.def
	}

	hours := c.step.Hours()
	out := schemas.Cost{
		Group:            group,
		Time:             d.Time,
		Provider:         p.provider,
		Region:           p.region,
		InstanceType:     p.instanceType,
		PricePerHour:     p.perHour,
		StepSeconds:      int64(c.step / time.Second),
		StaticInstances:  p.static,
		DecidedInstances: d.Target,
		StaticCost:       float64(p.static) * p.perHour * hours,
		DecidedCost:      float64(d.Target) * p.perHour * hours,
	}
	out.Savings = out.StaticCost - out.DecidedCost

	c.add(group, d.Time, out.Savings)
	return out, nil
}

func (c *Coster) add(group string, t time.Time, savings float64) {
	c.mu.Lock()
	defer c.mu.Unlock()

	r := c.cum[group]
	if r == nil {
		r = &running{}
		c.cum[group] = r
	} else if !t.After(r.last) {
		return
	}
	r.savings += savings
	r.last = t
}

// Cumulative returns the dollars the group saved so far, relative to its
// static count, over the decisions Cost has seen since the Coster was
// built; 0 for a group not seen. It is negative when Scalora added
// capacity overall. The total lives in memory only.
func (c *Coster) Cumulative(group string) float64 {
	c.mu.Lock()
	defer c.mu.Unlock()

	if r := c.cum[group]; r != nil {
		return r.savings
	}
	return 0
}
