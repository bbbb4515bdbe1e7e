package decision

import (
	"fmt"
	"time"
)

// DefaultStep is the window step decisions are counted in.
const DefaultStep = time.Minute

// Config configures a Decider.
type Config struct {
	// Groups holds the configured groups by name. A group's Name, when set,
	// must equal its key.
	Groups map[string]GroupConfig `yaml:"groups" json:"groups"`

	// Default is used, under the group's own name, for groups that Groups
	// does not list. Default: aws, us-east-1, m5.large and the GroupConfig
	// defaults.
	Default GroupConfig `yaml:"default" json:"default"`

	// Step is the window step: the time between two decisions of a group,
	// and the unit that BootTime and ScaleInStabilization are counted in.
	// It must equal the windower's step. Default 1m.
	Step time.Duration `yaml:"step" json:"step"`

	// WaitSteps is how long, in steps of event time, a group's step waits
	// for hosts that have not reported it yet. A step is decided as soon as
	// every host known in the group has reported it, or once the group has
	// seen a step WaitSteps later; hosts that stayed silent that long leave
	// the group until they report again. A group's first decisions also
	// wait that long, so that its hosts are known. Default 3: a host that
	// dies delays its group's decisions by that much, once. A replay
	// consumed far faster than real time from several partitions can run
	// hosts further apart than that; their steps are then decided without
	// the lagging hosts (whose forecasts count as late). One partition, or
	// a larger wait, keeps such replays exact. A negative
	// value waits for nothing: a step is decided from the hosts that
	// reported it once any host reports a later one.
	WaitSteps int `yaml:"wait_steps" json:"wait_steps"`
}

// DefaultWaitSteps is the default of Config.WaitSteps.
const DefaultWaitSteps = 3

// SetDefaults fills zero fields, and the zero fields of every group, with
// their documented defaults. It copies the Groups map rather than writing
// into the caller's.
func (c *Config) SetDefaults() {
	if c.Step == 0 {
		c.Step = DefaultStep
	}
	if c.WaitSteps == 0 {
		c.WaitSteps = DefaultWaitSteps
	}
	c.Default.SetDefaults()

	groups := make(map[string]GroupConfig, len(c.Groups))
	for name, g := range c.Groups {
		if g.Name == "" {
			g.Name = name
		}
		g.SetDefaults()
		groups[name] = g
	}
	c.Groups = groups
}

// Validate checks the config after SetDefaults. Errors wrap ErrInvalidConfig.
func (c *Config) Validate() error {
	if c.Step <= 0 {
		return fmt.Errorf("%w: step %s is not positive", ErrInvalidConfig, c.Step)
	}
	if c.WaitSteps > 10_000 {
		return fmt.Errorf("%w: wait_steps %d is more than 10000", ErrInvalidConfig, c.WaitSteps)
	}
	if err := c.Default.Validate(); err != nil {
		return fmt.Errorf("default group: %w", err)
	}
	if err := c.validateWindow(c.Default); err != nil {
		return fmt.Errorf("default group: %w", err)
	}

	for name, g := range c.Groups {
		if name == "" {
			return fmt.Errorf("%w: a group has an empty name", ErrInvalidConfig)
		}
		if g.Name != name {
			return fmt.Errorf("%w: group listed as %q is named %q", ErrInvalidConfig, name, g.Name)
		}
		if err := g.Validate(); err != nil {
			return err
		}
		if err := c.validateWindow(g); err != nil {
			return err
		}
	}
	return nil
}

// MaxHeadroomSteps bounds GroupConfig.HeadroomWindow in steps, and so the
// memory a group's record of shortfalls takes (4 bytes a step).
const MaxHeadroomSteps = 100_000

// validateWindow checks what a group's config means in steps.
func (c *Config) validateWindow(g GroupConfig) error {
	// (w-1)/step >= max is ceil(w/step) > max without overflowing.
	if g.HeadroomQuantile >= 0 && (g.HeadroomWindow-1)/c.Step >= MaxHeadroomSteps {
		return fmt.Errorf("%w: group %q: headroom_window %s is more than %d steps of %s",
			ErrInvalidConfig, g.Name, g.HeadroomWindow, MaxHeadroomSteps, c.Step)
	}
	return nil
}

// Group returns the configuration of the named group: its entry in Groups,
// or Default under that name. Call it after SetDefaults.
func (c *Config) Group(name string) GroupConfig {
	if g, ok := c.Groups[name]; ok {
		return g
	}
	g := c.Default
	g.Name = name
	return g
}
