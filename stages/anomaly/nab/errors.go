package nab

import "errors"

// Sentinel errors of the package.
var (
	// ErrLabels is wrapped by every error about a labels file: unreadable
	// JSON, a timestamp that does not parse, a window that ends before it
	// starts.
	ErrLabels = errors.New("invalid nab labels")

	// ErrNoLabels is returned by Evaluate for a data file that the labels
	// file does not list: NAB keys are paths relative to NAB's data folder
	// (e.g. "realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv") and a data
	// file matches the key that its path ends with.
	ErrNoLabels = errors.New("data file not in labels")
)
