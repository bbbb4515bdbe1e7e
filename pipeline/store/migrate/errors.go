package migrate

import "errors"

// ErrChecksumChanged is returned when a migration file recorded as applied
// no longer has the text it had when it ran. Applied files must never be
// edited: put the change in a new numbered file.
var ErrChecksumChanged = errors.New("applied migration changed")
