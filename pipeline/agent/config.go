package agent

import (
	"fmt"
	"io/fs"
	"os"
	"time"
)

// Config configures an Agent.
type Config struct {
	// Host names the samples. Default os.Hostname().
	Host string
	// Group is the samples' group. Default empty (the pipeline reads it as
	// schemas.DefaultGroup).
	Group string

	// Interval is the time between two readings of /proc/stat. Default 10s.
	Interval time.Duration
	// BufferSize is how many samples are kept while the destination is
	// down; past it the oldest are dropped. Default 10000.
	BufferSize int
	// MaxBatch is the most samples sent in one request. Default 500.
	MaxBatch int

	// RetryInitial and RetryMax bound the exponential backoff between
	// failed sends. Defaults 500ms and 30s.
	RetryInitial time.Duration
	RetryMax     time.Duration

	// Proc is the proc root read for "stat". Default os.DirFS("/proc").
	Proc fs.FS
	// Ticks, when set, replaces the Interval ticker: each value received
	// is a reading time (tests step it by hand). Default nil.
	Ticks <-chan time.Time
}

// SetDefaults fills the zero fields with the defaults written in their docs.
func (c *Config) SetDefaults() {
	if c.Host == "" {
		if h, err := os.Hostname(); err == nil {
			c.Host = h
		}
	}
	if c.Interval == 0 {
		c.Interval = 10 * time.Second
	}
	if c.BufferSize == 0 {
		c.BufferSize = 10000
	}
	if c.MaxBatch == 0 {
		c.MaxBatch = 500
	}
	if c.RetryInitial == 0 {
		c.RetryInitial = 500 * time.Millisecond
	}
	if c.RetryMax == 0 {
		c.RetryMax = 30 * time.Second
	}
	if c.Proc == nil {
		c.Proc = os.DirFS("/proc")
	}
}

// Validate reports the first configuration error; call SetDefaults first.
func (c Config) Validate() error {
	switch {
	case c.Host == "":
		return fmt.Errorf("host: empty and os.Hostname failed; set it")
	case c.Interval < 0:
		return fmt.Errorf("interval %s: must be positive", c.Interval)
	case c.BufferSize < 1:
		return fmt.Errorf("buffer size %d: must be at least 1", c.BufferSize)
	case c.MaxBatch < 1:
		return fmt.Errorf("max batch %d: must be at least 1", c.MaxBatch)
	case c.RetryInitial < 0 || c.RetryMax < c.RetryInitial:
		return fmt.Errorf("retry %s..%s: want 0 <= initial <= max", c.RetryInitial, c.RetryMax)
	}
	return nil
}
