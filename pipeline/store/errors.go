package store

import "errors"

// ErrClosed is returned by every call on a Store after its Close.
var ErrClosed = errors.New("store closed")
