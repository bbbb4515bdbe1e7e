package schemas

import (
	"fmt"
	"math"
	"time"
	"unicode/utf8"
)

// SampleVersion is the only sample schema version this build reads.
const SampleVersion = 1

// Sample is one CPU reading of one host, as sent on the input topic (JSON,
// see sample.schema.json). Kafka messages carrying samples are keyed by Host.
type Sample struct {
	Version int       `json:"v"`
	Host    string    `json:"host"`
	Group   string    `json:"group,omitempty"`
	Time    time.Time `json:"ts"`
	CPU     float64   `json:"cpu"`             // percent of the host's cores
	Cores   float64   `json:"cores,omitempty"` // optional core count

	// Seq is where the sample was read in its source, counting from 1 (a
	// Kafka offset plus one), or 0 when the source has no order. It is not
	// part of the payload: the consumer sets it. The windower uses it to
	// skip samples replayed after a restart that its restored state
	// already holds, so a host must be read from one partition of one
	// topic (messages keyed by Host).
	Seq int64 `json:"-"`
	// Partition is the Kafka partition the sample was read from (0 when
	// not read from Kafka); it is kept with the host's state so that the
	// member a partition moves to finds the state of its hosts.
	Partition int32 `json:"-"`
}

// Limits bound what DecodeSample accepts. The zero value is not useful; start
// from DefaultLimits.
type Limits struct {
	// MaxBytes is the largest payload accepted. Default 4096.
	MaxBytes int
	// MaxHostLen is the longest host or group name. Default 253 (a DNS name).
	MaxHostLen int
	// MaxCPU is the largest CPU percent accepted. Default 200: real traces
	// exceed 100 a little (Bitbrains reaches about 112); decisions clip at 100.
	MaxCPU float64
	// MaxPast is how far before Now a sample's time may lie. Default 90
	// days, the retention of stored steps: an older sample would be stored
	// only to be deleted at the next merge. Replays of old traces shift
	// their times (scalora produce does by default).
	MaxPast time.Duration
	// MaxFuture is how far after Now a sample's time may lie, for clock
	// skew. Default 1 minute, one step of the default window: a sample
	// further ahead moves its host's watermark past steps still to come.
	MaxFuture time.Duration
	// Now is the clock the time limits are measured against. Default
	// time.Now.
	Now func() time.Time
}

// DefaultLimits returns the limits documented on Limits.
func DefaultLimits() Limits {
	return Limits{
		MaxBytes: 4096, MaxHostLen: 253, MaxCPU: 200,
		MaxPast: 90 * 24 * time.Hour, MaxFuture: time.Minute, Now: time.Now,
	}
}

// Whatever the limits, sample times must fall in [minTime, maxTime): the
// range every stage and both stores handle exactly.
var (
	minTime = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
)

// DefaultGroup is the group of samples that name none.
const DefaultGroup = "default"

// DecodeSample parses and validates one JSON sample. The error is a
// *SampleError whose Reason is one of the Reason* constants.
//
// Decoding is stricter than encoding/json's defaults, as the JSON Schema
// says: the payload must be valid UTF-8 (otherwise two different invalid
// host names could decode to the same one), keys match exactly (no case
// folding), a key may not repeat, unknown keys and anything after the
// object are refused.
//
// Decoding a valid sample allocates its host name and nothing else, once
// its group has been seen and when its time is in UTC (see decodeStrict).
func DecodeSample(payload []byte, lim Limits) (Sample, error) {
	return decodeSample(payload, lim, decodeStrict)
}

// decodeSample is DecodeSample with the JSON reading given, so that tests
// can run the same checks around a reference decoder. decode returns the
// sample by value: a pointer handed to a function value would move the
// sample to the heap, one allocation per call.
func decodeSample(payload []byte, lim Limits, decode func([]byte) (Sample, error)) (Sample, error) {
	if len(payload) > lim.MaxBytes {
		return Sample{}, sampleErr(ReasonOversized, "payload of %d bytes exceeds %d", len(payload), lim.MaxBytes)
	}
	if !utf8.Valid(payload) {
		return Sample{}, sampleErr(ReasonUnparsable, "payload is not valid UTF-8")
	}
	s, err := decode(payload)
	if err != nil {
		return s, sampleErr(ReasonUnparsable, "decode json: %v", err)
	}

	if err := s.Validate(lim); err != nil {
		return s, err
	}
	if s.Group == "" {
		s.Group = DefaultGroup
	}
	return s, nil
}

// Validate checks a decoded sample against lim.
func (s Sample) Validate(lim Limits) error {
	switch {
	case s.Version != SampleVersion:
		return sampleErr(ReasonVersion, "schema version %d, this build reads %d", s.Version, SampleVersion)
	case s.Host == "":
		return sampleErr(ReasonHost, "host is missing or empty")
	case len(s.Host) > lim.MaxHostLen:
		return sampleErr(ReasonHost, "host is %d bytes, longer than %d", len(s.Host), lim.MaxHostLen)
	case len(s.Group) > lim.MaxHostLen:
		return sampleErr(ReasonGroup, "group is %d bytes, longer than %d", len(s.Group), lim.MaxHostLen)
	case s.Time.IsZero():
		return sampleErr(ReasonTime, "ts is missing")
	case zoneOutOfRange(s.Time):
		return sampleErr(ReasonTime, "ts has a zone offset of 24 hours or more")
	case s.Time.Before(minTime) || !s.Time.Before(maxTime):
		return sampleErr(ReasonTime, "ts %s outside [1970, 2100)", s.Time.UTC().Format(time.RFC3339))
	case math.IsNaN(s.CPU) || math.IsInf(s.CPU, 0):
		return sampleErr(ReasonCPU, "cpu is not a finite number")
	case s.CPU < 0 || !(s.CPU <= lim.MaxCPU):
		return sampleErr(ReasonCPU, "cpu %g outside [0, %g]", s.CPU, lim.MaxCPU)
	case s.Cores < 0 || math.IsNaN(s.Cores) || math.IsInf(s.Cores, 0):
		return sampleErr(ReasonCores, "cores %g is not a non-negative number", s.Cores)
	}
	return lim.checkAge(s.Time)
}

func zoneOutOfRange(t time.Time) bool {
	_, off := t.Zone()
	return off <= -24*3600 || off >= 24*3600
}

// checkAge enforces MaxPast and MaxFuture when they are set.
func (lim Limits) checkAge(t time.Time) error {
	if lim.MaxPast <= 0 && lim.MaxFuture <= 0 {
		return nil
	}
	now := time.Now
	if lim.Now != nil {
		now = lim.Now
	}
	at := now()

	if lim.MaxPast > 0 && t.Before(at.Add(-lim.MaxPast)) {
		return sampleErr(ReasonTime, "ts %s is %s before now, more than the %s allowed",
			t.UTC().Format(time.RFC3339), at.Sub(t).Round(time.Second), lim.MaxPast)
	}
	if lim.MaxFuture > 0 && t.After(at.Add(lim.MaxFuture)) {
		return sampleErr(ReasonTime, "ts %s is %s after now, more than the %s allowed",
			t.UTC().Format(time.RFC3339), t.Sub(at).Round(time.Second), lim.MaxFuture)
	}
	return nil
}

// Reasons a sample is rejected; they are the dead-letter topic's reason
// header values and the label of the rejection counter.
const (
	ReasonOversized  = "oversized"
	ReasonUnparsable = "unparsable"
	ReasonVersion    = "unknown_version"
	ReasonHost       = "invalid_host"
	ReasonGroup      = "invalid_group"
	ReasonTime       = "invalid_time"
	ReasonCPU        = "invalid_cpu"
	ReasonCores      = "invalid_cores"
	ReasonLate       = "late"
	// ReasonHostLimit rejects a sample of a new host when the process
	// already tracks as many hosts as it may (window.max_hosts).
	ReasonHostLimit = "host_limit"
)

// SampleError says why a sample was rejected.
type SampleError struct {
	Reason string // one of the Reason* constants
	Detail string
}

func (e *SampleError) Error() string {
	return "invalid sample: " + e.Reason + ": " + e.Detail
}

func sampleErr(reason, format string, args ...any) error {
	return &SampleError{Reason: reason, Detail: fmt.Sprintf(format, args...)}
}
