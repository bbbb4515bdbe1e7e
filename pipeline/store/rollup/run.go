package rollup

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/scalora/scalora/pipeline/store"
)

// Defaults of Config.
const (
	DefaultEvery    = 5 * time.Minute
	DefaultLookback = 48 * time.Hour
)

// Config says how often Run refreshes the stored rollups.
type Config struct {
	// Every is the time between refreshes. Default 5m.
	Every time.Duration `yaml:"every" json:"every"`
	// Lookback is how far back each refresh recomputes (since = now −
	// Lookback). It must cover the latest step a replay or a late sample
	// may still change, and stay well inside the steps TTL. Default 48h.
	Lookback time.Duration `yaml:"lookback" json:"lookback"`
}

// SetDefaults fills the zero fields with the defaults documented on them.
func (c *Config) SetDefaults() {
	if c.Every == 0 {
		c.Every = DefaultEvery
	}
	if c.Lookback == 0 {
		c.Lookback = DefaultLookback
	}
}

// Validate reports a configuration that cannot work.
func (c Config) Validate() error {
	if c.Every <= 0 {
		return errors.New("rollup config: every must be positive")
	}
	if c.Lookback < c.Every {
		return errors.New("rollup config: lookback must be at least every, or steps closed between refreshes are never rolled up")
	}
	return nil
}

// Run refreshes the stored rollups of database db at once and then every
// cfg.Every, with since = now − cfg.Lookback, until ctx is cancelled; it
// then returns nil. A failed refresh is logged at Warn and retried at the
// next tick (the next one recomputes the same periods), so a store that
// is briefly unreachable does not stop the pipeline. It returns an error
// only for an invalid cfg. Run it in its own goroutine; it uses s like any
// other caller (Store is safe for concurrent use).
//
// It exposes no metrics yet: a failing refresh shows only in the log.
func Run(ctx context.Context, s store.Store, db string, cfg Config, log *slog.Logger) error {
	cfg.SetDefaults()
	if err := cfg.Validate(); err != nil {
		return err
	}
	if log == nil {
		log = slog.Default()
	}

	t := time.NewTicker(cfg.Every)
	defer t.Stop()
	for {
		start := time.Now()
		if err := Refresh(ctx, s, db, start.Add(-cfg.Lookback)); err != nil && ctx.Err() == nil {
			log.Warn("rollup refresh failed", "err", err)
		} else if err == nil {
			log.Debug("rollups refreshed", "took", time.Since(start))
		}

		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
