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
