package decision

import "errors"

// ErrInvalidConfig is wrapped by every error that Validate returns, so that
// callers can tell a configuration mistake from a runtime failure.
var ErrInvalidConfig = errors.New("invalid decision config")
