package migrate

import "errors"

// ErrChecksumChanged is returned when a migration file recorded as applied
// no longer has the text it had when it ran. Applied files must never be
// edited: put the change in a new numbered file.
var ErrChecksumChanged = errors.New("applied migration changed")

// ErrNoEngine is returned by the functions taking a store.Store when the
// store does not expose MigrationEngine (both backends in this module do).
var ErrNoEngine = errors.New("store does not expose its migration engine")
