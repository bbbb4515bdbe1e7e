package simulate

import "errors"

var (
	// ErrInvalidConfig is wrapped by every error Config.Validate returns.
	ErrInvalidConfig = errors.New("invalid simulation config")

	// ErrShortTrace is returned for a trace with fewer than two readings,
	// from which no step can be inferred, or an empty workload.
	ErrShortTrace = errors.New("trace too short to simulate")
)
