package window

import "errors"

// ErrInvalidConfig is wrapped by Config.Validate (and so by New) when a
// field is out of range; the message names the field.
var ErrInvalidConfig = errors.New("invalid window config")

// ErrTooManyHosts is wrapped by Add when a sample names a host the windower
// does not track yet and it already tracks Config.MaxHosts hosts. Hosts
// already tracked keep being accepted. Raise MaxHosts, or spread the hosts
// over more partitions (one windower each).
var ErrTooManyHosts = errors.New("too many hosts")

// ErrReplayed is wrapped by Add when a sample's Seq is at or below the
// largest Seq already applied for its host: the sample was read again
// after a restart or a redelivery, and the host's state already holds it.
// It is not an error in the input: drop the sample and count it.
var ErrReplayed = errors.New("sample already applied")

// ErrDuplicate is wrapped by Add when a sample has exactly the time of one
// of the host's few latest samples (the same reading sent twice). Drop it
// and count it: it is not sent to the dead-letter topic.
var ErrDuplicate = errors.New("duplicate sample")

// ErrState is wrapped by Restore when a HostState cannot be used: another
// step or size, or values out of range. The host then starts afresh.
var ErrState = errors.New("unusable host state")
