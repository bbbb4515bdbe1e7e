package cost

import "errors"

var (
	// ErrUnknownInstanceType is wrapped when the catalog has prices for the
	// provider and region but not for the instance type; the message lists
	// the types it knows there.
	ErrUnknownInstanceType = errors.New("unknown instance type")

	// ErrUnknownRegion is wrapped when the catalog has no prices at all for
	// the provider and region; the message lists the regions it knows.
	ErrUnknownRegion = errors.New("unknown region")

	// ErrInvalidCatalog is wrapped when a catalog file cannot be used.
	ErrInvalidCatalog = errors.New("invalid price catalog")
)
