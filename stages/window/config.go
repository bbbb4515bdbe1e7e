package window

import (
	"fmt"
	"time"
)

// Aggregate names how the samples that fall in one step become the step's
// value.
type Aggregate string

// Aggregates a Config can name.
const (
	// AggregateMean takes the arithmetic mean of the step's samples.
	AggregateMean Aggregate = "mean"
	// AggregateMax takes the largest of the step's samples, for sizing on
	// peaks rather than on averages.
	AggregateMax Aggregate = "max"
)

// MaxStep is the coarsest Config.Step accepted. It keeps step arithmetic
// far from int64 overflow and is coarser than any forecasting step in use.
const MaxStep = 24 * time.Hour

// MaxSize is the largest Config.Size accepted; every host holds 16 bytes
// per step of Size (see Windower).
const MaxSize = 1 << 16

// MaxAllowedLateness is the largest Config.AllowedLateness accepted.
const MaxAllowedLateness = 7 * 24 * time.Hour

// Config sets the step grid and the window of a Windower. The zero value is
// usable after SetDefaults.
type Config struct {
	// Step is the width of one step of the grid; steps start at whole
	// multiples of Step since the Unix epoch. Default 1m; at most MaxStep.
	Step time.Duration

	// Size is how many steps a full window holds. Default 24; at least 2,
	// at most MaxSize.
	Size int

	// Aggregate is how a step's samples become its value. Default
	// AggregateMean.
	Aggregate Aggregate

	// MaxGapSteps is the longest run of missing steps that is filled in by
	// linear interpolation between the steps on either side of it; a longer
	// gap resets the host's window. Default 5, or Size-1 when Size is 5 or
	// less (0 means the default); a negative value turns filling off, so
	// that every gap resets. It must be smaller than Size, so that a filled
	// gap never makes a whole window.
	MaxGapSteps int

	// AllowedLateness is how far behind the host's latest sample a sample
	// may be and still count: a step closes once the host's watermark, its
	// latest sample time minus AllowedLateness, reaches the end of the step,
	// and a sample for a step already closed is late. Default 0: a step
	// closes on the first sample of a later step. At most Size steps and at
	// most MaxAllowedLateness. Each host keeps 1+ceil(AllowedLateness/Step)
	// steps open, at 16 bytes each, and its window buffer may grow by as
	// many values.
	AllowedLateness time.Duration

	// IdleTimeout, when positive, lets CloseIdle close a host's open steps
	// once no sample of it has been accepted for this long by Clock:
	// processing time, not event time, so that a host that stops sending
	// still gets its last steps forecast. A sample that arrives for a step
	// closed that way is late. Replays that stall for longer than this
	// (a store outage) close steps early, so it is off by default (0).
	IdleTimeout time.Duration

	// Clock tells the time for IdleTimeout. Nil (the default) is the
	// system clock; tests inject their own.
	Clock Clock

	// MaxHosts is how many hosts one Windower tracks; a sample of a new host
	// beyond it is rejected with ErrTooManyHosts. Default 1,000,000.
	MaxHosts int
}

// Clock tells the time.
type Clock interface {
	Now() time.Time
}

// systemClock is the default Clock.
type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// Defaults written in the field docs of Config.
const (
	DefaultStep        = time.Minute
	DefaultSize        = 24
	DefaultAggregate   = AggregateMean
	DefaultMaxGapSteps = 5
	DefaultMaxHosts    = 1_000_000
)

// SetDefaults fills the zero fields of c with their defaults.
func (c *Config) SetDefaults() {
	if c.Step == 0 {
		c.Step = DefaultStep
	}
	if c.Size == 0 {
		c.Size = DefaultSize
	}
	if c.Aggregate == "" {
		c.Aggregate = DefaultAggregate
	}
	if c.MaxGapSteps == 0 {
		c.MaxGapSteps = min(DefaultMaxGapSteps, c.Size-1)
	}
	if c.MaxHosts == 0 {
		c.MaxHosts = DefaultMaxHosts
	}
}

// Validate checks the fields of c and how they relate. It does not apply
// defaults: call SetDefaults first.
func (c Config) Validate() error {
	switch {
	case c.Step <= 0:
		return fmt.Errorf("%w: step %v must be positive", ErrInvalidConfig, c.Step)
	case c.Step > MaxStep:
		return fmt.Errorf("%w: step %v is coarser than %v", ErrInvalidConfig, c.Step, MaxStep)
	case c.Size < 2:
		return fmt.Errorf("%w: size %d must be at least 2", ErrInvalidConfig, c.Size)
	case c.Size > MaxSize:
		return fmt.Errorf("%w: size %d exceeds %d", ErrInvalidConfig, c.Size, MaxSize)
	case c.Aggregate != AggregateMean && c.Aggregate != AggregateMax:
		return fmt.Errorf("%w: aggregate %q is neither %q nor %q",
			ErrInvalidConfig, c.Aggregate, AggregateMean, AggregateMax)
	case c.MaxGapSteps >= c.Size:
		return fmt.Errorf("%w: max gap steps %d must be smaller than size %d",
			ErrInvalidConfig, c.MaxGapSteps, c.Size)
	case c.AllowedLateness < 0:
		return fmt.Errorf("%w: allowed lateness %v must not be negative", ErrInvalidConfig, c.AllowedLateness)
	case c.AllowedLateness > MaxAllowedLateness:
		return fmt.Errorf("%w: allowed lateness %v exceeds %v",
			ErrInvalidConfig, c.AllowedLateness, MaxAllowedLateness)
	case c.AllowedLateness > time.Duration(c.Size)*c.Step:
		return fmt.Errorf("%w: allowed lateness %v exceeds a window (size %d × step %v)",
			ErrInvalidConfig, c.AllowedLateness, c.Size, c.Step)
	case c.IdleTimeout < 0:
		return fmt.Errorf("%w: idle timeout %v must not be negative", ErrInvalidConfig, c.IdleTimeout)
	case c.MaxHosts < 1:
		return fmt.Errorf("%w: max hosts %d must be positive", ErrInvalidConfig, c.MaxHosts)
	}
	return nil
}
