package trace

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// zonedLayouts are tried first: they carry their own zone or offset.
var zonedLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999Z07:00",
}

// localLayouts have no zone: Options.Location applies.
var localLayouts = []string{
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
}

// maxEpoch is the largest epoch number accepted, in milliseconds (the year
// 5138); larger numbers would be microseconds or nanoseconds, which no
// supported export writes.
const maxEpoch = 1e14

// parseTime reads a timestamp written as RFC 3339, as "YYYY-MM-DD
// HH:MM:SS" (in loc), or as an epoch number in seconds or milliseconds,
// told apart by magnitude (see msThreshold). The result is in UTC.
func parseTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("timestamp is empty")
	}
	if c := s[0]; c >= '0' && c <= '9' && !strings.ContainsAny(s, "-:") {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("timestamp %q is not an epoch number", clip(s, 40))
		}
		return epochTime(v)
	}

	for _, layout := range zonedLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	for _, layout := range localLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("timestamp %q is neither RFC 3339, YYYY-MM-DD HH:MM:SS nor an epoch number", clip(s, 40))
}

// epochTime converts epoch seconds, or milliseconds above msThreshold, to
// a UTC time.
func epochTime(v float64) (time.Time, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > maxEpoch {
		return time.Time{}, fmt.Errorf("epoch %g is out of range", v)
	}
	if v > msThreshold {
		v /= 1000
	}
	sec, frac := math.Modf(v)
	return time.Unix(int64(sec), int64(math.Round(frac*1e9))).UTC(), nil
}

// checkCPU rejects values that are not a CPU percent.
func checkCPU(v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("value %g is not a finite number", v)
	}
	if v < 0 {
		return fmt.Errorf("value %g is negative", v)
	}
	return nil
}
