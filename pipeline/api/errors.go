package api

import "errors"

// ErrOpenNonLocal is returned by Config.Validate when no API key is
// configured and the API would listen on an address other than localhost:
// anyone on the network could then post samples and change groups.
var ErrOpenNonLocal = errors.New("no API keys configured and http.addr is not localhost: " +
	"set api.keys (or SCALORA_API_KEYS) or bind to 127.0.0.1")

// ErrUnknownGroup is returned when a group is neither configured nor seen.
var ErrUnknownGroup = errors.New("unknown group")
