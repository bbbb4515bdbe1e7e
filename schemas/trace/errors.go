package trace

import (
	"errors"
	"fmt"
)

// ErrInputTooLarge is returned when a JSON export is larger than
// Options.MaxJSONBytes. Raise the limit, or export a shorter period.
var ErrInputTooLarge = errors.New("input is larger than the JSON size limit")

// ErrMultipleSeries is returned by ReadAny for a file holding several
// series (a Prometheus matrix of several hosts, say); ReadAnyAll reads them
// all.
var ErrMultipleSeries = errors.New("file holds several series: read it with ReadAnyAll")

// PathError names the place in a JSON document that cannot be read, as a
// JSONPath such as "$.data.result[0].values[3][1]".
type PathError struct {
	Path   string
	Reason string
}

func (e *PathError) Error() string {
	return fmt.Sprintf("%s: %s", e.Path, e.Reason)
}
