package chdbstore

import (
	"errors"

	"github.com/scalora/scalora/pipeline/store/libchdb"
)

var (
	// ErrLibraryNotFound is returned by Open when libchdb.so cannot be
	// loaded. Run deploy/setup-chdb.sh and set CHDB_LIB_PATH to the path it
	// prints. It is libchdb.ErrNotInstalled.
	ErrLibraryNotFound = libchdb.ErrNotInstalled

	// ErrOtherPathOpen is returned by Open when this process already has a
	// chDB session on another data directory: chDB allows one per process.
	ErrOtherPathOpen = errors.New("chdb already open on another data directory in this process")
)
