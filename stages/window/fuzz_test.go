package window

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas"
)

// FuzzAdd feeds arbitrary sample sequences to arbitrary valid configs and
// checks the invariants every caller relies on: no panic, only late and
// duplicate samples rejected, each host's steps strictly increasing, a window of at most Size
// values that ends with the step, Ready exactly when it is full, and every
// accepted sample in exactly one closed step.
func FuzzAdd(f *testing.F) {
	f.Add(uint16(60), uint8(24), uint8(5), uint16(0), []byte("\x00\x00\x00\x00\x10\x01\x00\x00\xea\x60\x20"))
	f.Add(uint16(1), uint8(3), uint8(1), uint16(2), []byte("\x01\x00\x00\x10\x00\x05\x02\xff\xff\xf0\x00\x07"))
	f.Add(uint16(420), uint8(4), uint8(0), uint16(900), []byte("\x02\x80\x00\x00\x00\x09\x00\x00\x00\x00\x00\x01"))

	f.Fuzz(func(t *testing.T, stepSec uint16, size, maxGap uint8, latenessSec uint16, data []byte) {
		cfg := Config{
			Step:            time.Duration(max(stepSec, 1)) * time.Second,
			Size:            2 + int(size%30),
			MaxGapSteps:     int(maxGap%32) - 1,
			AllowedLateness: time.Duration(latenessSec) * time.Second,
		}
		if cfg.MaxGapSteps >= cfg.Size {
			cfg.MaxGapSteps = cfg.Size - 1
		}
		if cfg.MaxGapSteps == 0 {
			cfg.MaxGapSteps = -1
		}
		if cfg.AllowedLateness > time.Duration(cfg.Size)*cfg.Step {
			cfg.AllowedLateness = time.Duration(cfg.Size) * cfg.Step
		}
		w, err := New(cfg)
		if err != nil {
			t.Fatalf("New(%+v): %v", cfg, err)
		}

		// Each sample is 6 bytes: host, signed time offset in seconds
		// (big-endian int32), CPU.
		hosts := []string{"a", "b", "c"}
		accepted := map[string]int{}
		var closed []Closed
		for ; len(data) >= 6; data = data[6:] {
			s := schemas.Sample{
				Host: hosts[int(data[0])%len(hosts)],
				Time: base.Add(time.Duration(int32(binary.BigEndian.Uint32(data[1:5]))) * time.Second),
				CPU:  float64(data[5]),
			}
			n := len(closed)
			closed, err = w.Add(s, closed)
			var se *schemas.SampleError
			switch {
			case err == nil:
				accepted[s.Host]++
			case errors.Is(err, ErrDuplicate):
			case !errors.As(err, &se) || se.Reason != schemas.ReasonLate:
				t.Fatalf("Add(%s at %s): %v, want nil, duplicate or late", s.Host, s.Time, err)
			}
			checkClosed(t, cfg, closed[n:])
			cloneValues(closed[n:])
		}
		n := len(closed)
		closed = w.FlushAll(closed)
		checkClosed(t, cfg, closed[n:])

		last := map[string]time.Time{}
		samples := map[string]int{}
		for _, c := range closed {
			h := c.Step.Host
			if prev, ok := last[h]; ok && !c.Step.Time.After(prev) {
				t.Fatalf("host %s: step %s after %s", h, c.Step.Time, prev)
			}
			last[h] = c.Step.Time
			samples[h] += c.Step.Samples
		}
		for _, h := range hosts {
			if samples[h] != accepted[h] {
				t.Fatalf("host %s: %d samples in closed steps, %d accepted", h, samples[h], accepted[h])
			}
		}
	})
}

// checkClosed checks the windows of one call, before the next Add.
func checkClosed(t *testing.T, cfg Config, cs []Closed) {
	t.Helper()
	for _, c := range cs {
		n := len(c.Values)
		if n == 0 || n > cfg.Size || c.Values[n-1] != c.Step.CPU {
			t.Fatalf("step %s: window %v does not end with cpu %g or exceeds size %d",
				stepLine(c.Step), c.Values, c.Step.CPU, cfg.Size)
		}
		if c.Ready != (n == cfg.Size) || c.Ready != (c.Reason == "") {
			t.Fatalf("step %s: ready %v, reason %q with %d values", stepLine(c.Step), c.Ready, c.Reason, n)
		}
		if c.Step.Filled != (c.Step.Samples == 0) {
			t.Fatalf("step %s: Filled and Samples disagree", stepLine(c.Step))
		}
	}
}

// FuzzRestore restores arbitrary JSON host states (the store's host_state
// column, which a damaged or foreign table could hold) into a windower: no
// panic, a refusal wraps ErrState (or ErrTooManyHosts), and a restored host
// keeps working: every later sample is accepted or rejected like any other
// and closes well-formed steps.
func FuzzRestore(f *testing.F) {
	w, _ := New(Config{AllowedLateness: time.Minute})
	for i := range 30 {
		_, _ = w.Add(schemas.Sample{Host: "a", Time: base.Add(time.Duration(i) * 70 * time.Second), CPU: float64(i)}, nil)
	}
	for _, hs := range w.SnapshotDirty("s", nil) {
		f.Add(string(mustJSON(f, hs)), int32(5))
	}
	f.Add(`{"Host":"x","Step":60000000000,"Size":24,"Window":[1,2],"Next":"2026-12-03T10:00:00Z","OpenStarts":["2026-12-03T10:00:00Z"],"OpenValues":[1],"OpenCounts":[1]}`, int32(0))

	f.Fuzz(func(t *testing.T, raw string, offset int32) {
		var hs schemas.HostState
		if json.Unmarshal([]byte(raw), &hs) != nil {
			return
		}
		cfg := Config{AllowedLateness: time.Minute}
		w, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Restore(hs); err != nil {
			if !errors.Is(err, ErrState) && !errors.Is(err, ErrTooManyHosts) {
				t.Fatalf("Restore: %v, want ErrState", err)
			}
			return
		}
		cfg.SetDefaults()
		for i := range 40 {
			s := schemas.Sample{Host: hs.Host, Time: hs.Newest.Add(time.Duration(offset)*time.Second + time.Duration(i)*45*time.Second), CPU: 1}
			closed, err := w.Add(s, nil)
			var se *schemas.SampleError
			switch {
			case err == nil, errors.Is(err, ErrDuplicate), errors.As(err, &se):
			default:
				t.Fatalf("Add after Restore: %v", err)
			}
			checkClosed(t, cfg, closed)
		}
	})
}

func mustJSON(f *testing.F, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		f.Fatal(err)
	}
	return b
}
