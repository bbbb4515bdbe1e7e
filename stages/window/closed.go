package window

import "github.com/scalora/scalora/schemas"

// Closed is one step of a host that the windower closed: the step itself and
// the host's window that ends with it.
type Closed struct {
	Step schemas.Step

	// Values is the host's window, oldest first, ending with Step.CPU; at most
	// Config.Size values, one per step. It aliases the windower's buffer and
	// is valid only until the next call to Add: copy it to keep it.
	Values []float64

	// Ready is true when Values holds a full window (Config.Size steps).
	// Otherwise Reason says how much history the host has and needs.
	Ready  bool
	Reason string
}
