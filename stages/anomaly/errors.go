package anomaly

import "errors"

// ErrInvalidConfig is wrapped by every error of Config.Validate and
// ForestConfig.Validate; the message names the field and the accepted range.
var ErrInvalidConfig = errors.New("invalid anomaly config")
