package trace

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// DefaultMaxJSONBytes is the largest JSON export read by default: 64 MiB,
// about a million datapoints. JSON is decoded whole, so this bounds memory.
const DefaultMaxJSONBytes = 64 << 20

// Options tune the readers that need a choice the file cannot make for
// them. The zero value, after SetDefaults, reads every format with UTC for
// zoneless timestamps. Options are plain values: copy them freely.
type Options struct {
	// TimeColumn is the header name of the timestamp column of a generic
	// CSV, matched case-insensitively. Default "": the first column named
	// timestamp, time, date, datetime or ts.
	TimeColumn string

	// CPUColumn is the header name of the CPU percent column of a generic
	// CSV, matched case-insensitively. Default "": the other column when
	// the file has exactly two; with more columns it must be set.
	CPUColumn string

	// Location is the zone of timestamps written without one
	// ("2014-02-14 14:27:00"). Default UTC. Timestamps that carry a zone or
	// an offset keep it, and epoch numbers are zone-free.
	Location *time.Location

	// MaxJSONBytes is the largest JSON input accepted; a larger one fails
	// with ErrInputTooLarge. Default DefaultMaxJSONBytes.
	MaxJSONBytes int64
}

// SetDefaults fills the zero fields with the defaults written above.
func (o *Options) SetDefaults() {
	if o.Location == nil {
		o.Location = time.UTC
	}
	if o.MaxJSONBytes == 0 {
		o.MaxJSONBytes = DefaultMaxJSONBytes
	}
}

// Validate reports options that cannot work.
func (o *Options) Validate() error {
	if o.MaxJSONBytes < 0 {
		return fmt.Errorf("max JSON bytes %d is negative", o.MaxJSONBytes)
	}
	if o.TimeColumn != "" && strings.EqualFold(strings.TrimSpace(o.TimeColumn), strings.TrimSpace(o.CPUColumn)) {
		return errors.New("time column and CPU column are the same column")
	}
	return nil
}

// withDefaults returns a validated copy of o with defaults applied.
func (o Options) withDefaults() (Options, error) {
	o.SetDefaults()
	if err := o.Validate(); err != nil {
		return o, fmt.Errorf("trace options: %w", err)
	}
	return o, nil
}
