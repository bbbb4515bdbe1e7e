package main

import (
	"github.com/spf13/pflag"

	"github.com/scalora/scalora/schemas/trace"
)

// addTraceFlags adds the flags of the commands that read trace files: the
// columns of a generic CSV (one with a header that is neither NAB's nor
// CloudWatch's), whose CPU column must be named when it has more than two.
func addTraceFlags(f *pflag.FlagSet, o *trace.Options) {
	f.StringVar(&o.CPUColumn, "cpu-column", "",
		"CPU percent column of a generic CSV, by header name (needed when it has more than two columns)")
	f.StringVar(&o.TimeColumn, "time-column", "",
		"timestamp column of a generic CSV, by header name (default: the one named timestamp, time, date, datetime or ts)")
}
