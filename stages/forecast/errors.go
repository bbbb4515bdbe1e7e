package forecast

import "errors"

// Sentinels returned (wrapped) by this package.
var (
	// ErrFormatVersion: a model file was written by another format version.
	// Retrain or convert the model with the matching release.
	ErrFormatVersion = errors.New("unsupported model format version")

	// ErrChecksum: a model file's content does not match its SHA-256
	// checksum, so it was damaged or edited after it was written.
	ErrChecksum = errors.New("model checksum mismatch")

	// ErrCorrupt: a model file is not valid JSON of the expected layout
	// (truncated, empty or not a model file at all).
	ErrCorrupt = errors.New("model file unreadable")

	// ErrShape: a model's architecture or weight sizes are inconsistent.
	ErrShape = errors.New("model shape mismatch")

	// ErrNoData: training found no series long enough to cut a single
	// training or validation window from.
	ErrNoData = errors.New("not enough training data")
)
