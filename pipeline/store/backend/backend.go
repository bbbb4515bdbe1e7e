// Package backend opens the store.Store named by configuration. It lives
// apart from package store because both backends import store (for Batch
// and Result), so store cannot import them.
package backend

import (
	"context"
	"fmt"

	"github.com/scalora/scalora/pipeline/store"
	"github.com/scalora/scalora/pipeline/store/chdbstore"
	"github.com/scalora/scalora/pipeline/store/chstore"
)

// Backend names.
const (
	CHDB       = "chdb"
	ClickHouse = "clickhouse"
)

// Config chooses and configures a backend.
type Config struct {
	// Backend is "chdb" (embedded, the default) or "clickhouse" (a server).
	Backend string `yaml:"backend"`
	// CHDB configures the chdb backend; its Path is required then.
	CHDB chdbstore.Config `yaml:"chdb"`
	// ClickHouse configures the clickhouse backend.
	ClickHouse chstore.Config `yaml:"clickhouse"`
}

// SetDefaults fills the zero fields with the defaults documented on them,
// including the chosen backend's.
func (c *Config) SetDefaults() {
	if c.Backend == "" {
		c.Backend = CHDB
	}
	c.CHDB.SetDefaults()
	c.ClickHouse.SetDefaults()
}

// Validate checks the chosen backend's configuration only.
func (c Config) Validate() error {
	switch c.Backend {
	case CHDB:
		return c.CHDB.Validate()
	case ClickHouse:
		return c.ClickHouse.Validate()
	}
	return fmt.Errorf("store config: unknown backend %q, want %q or %q", c.Backend, CHDB, ClickHouse)
}

// Open opens the configured backend. It neither pings nor migrates: on a
// fresh ClickHouse server the configured database does not exist until
// Migrate creates it, so a ping first would fail. Callers that do not
// migrate should Ping.
func Open(ctx context.Context, cfg Config) (store.Store, error) {
	cfg.SetDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}

	var (
		s   store.Store
		err error
	)
	switch cfg.Backend {
	case CHDB:
		s, err = chdbstore.Open(cfg.CHDB)
	case ClickHouse:
		s, err = chstore.Open(cfg.ClickHouse)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s store: %w", cfg.Backend, err)
	}
	return s, nil
}
