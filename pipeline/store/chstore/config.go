package chstore

import (
	"errors"
	"fmt"
	"time"

	ddl "github.com/scalora/scalora/schemas/sql"
)

// Config says how to reach a ClickHouse server (native protocol).
type Config struct {
	// Addr lists host:port of the servers. Default ["localhost:9000"].
	Addr []string `yaml:"addr"`
	// Database holds the tables; Migrate creates it. Default "scalora".
	Database string `yaml:"database"`
	// Username and Password authenticate. Default user "default", no
	// password.
	Username string `yaml:"username"`
	Password string `yaml:"password"`
	// TLS turns on TLS with the system's roots. Default off.
	TLS bool `yaml:"tls"`
	// DialTimeout bounds connecting to a server. Default 10s.
	DialTimeout time.Duration `yaml:"dial_timeout"`
}

// SetDefaults fills the zero fields with the defaults documented on them.
func (c *Config) SetDefaults() {
	if len(c.Addr) == 0 {
		c.Addr = []string{"localhost:9000"}
	}
	if c.Database == "" {
		c.Database = ddl.DefaultDatabase
	}
	if c.Username == "" {
		c.Username = "default"
	}
	if c.DialTimeout == 0 {
		c.DialTimeout = 10 * time.Second
	}
}

// Validate reports a configuration that cannot work.
func (c Config) Validate() error {
	for _, a := range c.Addr {
		if a == "" {
			return errors.New("clickhouse config: empty address")
		}
	}
	if len(c.Addr) == 0 {
		return errors.New("clickhouse config: no address")
	}
	if err := ddl.ValidateDatabase(c.Database); err != nil {
		return fmt.Errorf("clickhouse config: %w", err)
	}
	if c.DialTimeout < 0 {
		return fmt.Errorf("clickhouse config: negative dial timeout %s", c.DialTimeout)
	}
	return nil
}
