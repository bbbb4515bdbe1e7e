package simulate

import (
	"fmt"

	"github.com/scalora/scalora/stages/anomaly"
	"github.com/scalora/scalora/stages/cost"
	"github.com/scalora/scalora/stages/decision"
	"github.com/scalora/scalora/stages/forecast"
)

// Config configures a Run. Zero fields take the defaults written on them.
type Config struct {
	// Group is the instance group the trace belongs to: Instances is both
	// the count the trace's CPU was measured on and the static policy's
	// count; the rest (target utilisation, boot time, stabilisation, step
	// limit, bounds, price) rules the predictive and reactive policies.
	// Defaults are decision.GroupConfig's (10 m5.large instances on aws
	// us-east-1, 60 % target, 5m boot, 15m stabilisation, step 2). Name
	// defaults to the workload's name.
	Group decision.GroupConfig

	// Reactive configures the threshold autoscaler; see ReactiveConfig.
	Reactive ReactiveConfig

	// Catalog prices the group when Group.CostPerHour is 0. Default
	// cost.DefaultCatalog().
	Catalog *cost.Catalog

	// Model forecasts for the predictive policy. Default
	// forecast.DefaultModel().
	Model *forecast.Model

	// Anomaly configures the anomaly stage of the replay. Default
	// anomaly.Config's defaults.
	Anomaly anomaly.Config
}

// SetDefaults fills zero fields with their documented defaults. Loading the
// default catalog or model may fail; the error says which.
func (c *Config) SetDefaults() error {
	c.Group.SetDefaults()
	c.Reactive.SetDefaults()
	c.Anomaly.SetDefaults()

	if c.Catalog == nil {
		cat, err := cost.DefaultCatalog()
		if err != nil {
			return fmt.Errorf("simulation defaults: %w", err)
		}
		c.Catalog = cat
	}
	if c.Model == nil {
		m, err := forecast.DefaultModel()
		if err != nil {
			return fmt.Errorf("simulation defaults: %w", err)
		}
		c.Model = m
	}
	return nil
}

// Validate checks c after SetDefaults. Errors wrap ErrInvalidConfig, or
// decision.ErrInvalidConfig for the group.
func (c *Config) Validate() error {
	if err := c.Group.Validate(); err != nil {
		return fmt.Errorf("simulation group: %w", err)
	}
	if err := c.Reactive.Validate(); err != nil {
		return err
	}
	if err := c.Anomaly.Validate(); err != nil {
		return fmt.Errorf("%w: anomaly: %w", ErrInvalidConfig, err)
	}
	if c.Catalog == nil || c.Model == nil {
		return fmt.Errorf("%w: catalog and model are required (call SetDefaults)", ErrInvalidConfig)
	}
	return nil
}

// price returns the group's USD price per instance-hour.
func (c *Config) price() (float64, error) {
	if c.Group.CostPerHour > 0 {
		return c.Group.CostPerHour, nil
	}
	p, err := c.Catalog.Price(c.Group.Provider, c.Group.Region, c.Group.InstanceType)
	if err != nil {
		return 0, fmt.Errorf("price group %q: %w", c.Group.Name, err)
	}
	return p, nil
}
