package agent

import "errors"

var (
	// ErrMalformedStat is returned when /proc/stat has no usable aggregate
	// "cpu" line (missing, too few columns, or a column that is not a
	// number).
	ErrMalformedStat = errors.New("malformed /proc/stat")

	// ErrCounterWentBack is returned by Percent when the second reading
	// has less total time than the first: the host rebooted, or the
	// readings were given in the wrong order.
	ErrCounterWentBack = errors.New("cpu counters went backwards")

	// ErrNoDestination is returned by Config.Validate when the agent has
	// neither a Kafka nor an HTTP destination, or both.
	ErrNoDestination = errors.New("give exactly one destination: kafka brokers or an http endpoint")

	// ErrRejected wraps a send error that retrying cannot fix: the
	// destination refused the batch itself.
	ErrRejected = errors.New("batch rejected by the destination")
)
