package window

import (
	"fmt"
	"math"
	"time"

	"github.com/scalora/scalora/schemas"
)

// SnapshotDirty appends to dst the state of every host changed by Add or
// Flush since the previous call, in the order they first changed, and
// forgets that they changed. Source is copied into each state. Values are
// copied: the states stay valid after later calls.
//
// The caller must take the snapshot at a point where everything the
// included samples produced is on its way to the store with it: the
// pipeline takes it under the same lock as its pending records, and writes
// the states after those records, so a state never gets ahead of the data.
func (w *Windower) SnapshotDirty(source string, dst []schemas.HostState) []schemas.HostState {
	now := time.Now().UTC()
	for _, host := range w.dirty {
		st := w.hosts[host]
		if st == nil {
			continue
		}
		st.dirty = false
		dst = append(dst, w.snapshot(host, source, st, now))
	}
	clear(w.dirty)
	w.dirty = w.dirty[:0]
	return dst
}

// snapshot copies one host's state.
func (w *Windower) snapshot(host, source string, st *hostState, now time.Time) schemas.HostState {
	hs := schemas.HostState{
		Host:      host,
		Group:     st.group,
		Source:    source,
		Partition: st.part,
		Seq:       st.seq,
		Step:      time.Duration(w.step),
		Size:      int(w.size),
		Newest:    time.Unix(0, st.newest).UTC(),
		Next:      time.Unix(0, st.next).UTC(),
		GapSteps:  st.gapSteps,
		Window:    append([]float64(nil), st.window()...),
		Updated:   now,
	}
	if st.last != noStep {
		hs.Last = time.Unix(0, st.last).UTC()
	}
	if st.gapSteps > 0 {
		hs.GapAt = time.Unix(0, st.gapAt).UTC()
	}

	// Open steps lie from next on, at most slots of them.
	for k := range w.slots {
		start := st.next + k*w.step
		i := w.slot(start)
		if st.buf[i+1] == 0 {
			continue
		}
		hs.OpenStarts = append(hs.OpenStarts, time.Unix(0, start).UTC())
		hs.OpenValues = append(hs.OpenValues, st.buf[i])
		hs.OpenCounts = append(hs.OpenCounts, st.buf[i+1])
	}

	for k := range recentTimes {
		if t := st.recent[(int(st.recentAt)+k)%recentTimes]; t != noStep {
			hs.Recent = append(hs.Recent, time.Unix(0, t).UTC())
		}
	}
	return hs
}

// Restore replaces the state of hs.Host with hs, as SnapshotDirty wrote it,
// so that the host's next sample closes steps, fills gaps and is judged late
// or replayed exactly as it would have been before the snapshot. A host
// restored with a full window forecasts on its next closed step.
//
// It returns an error wrapping ErrState, and leaves the host as it was,
// when hs was taken on another step or size, its times are off the grid or
// out of range, or its values are not finite; and ErrTooManyHosts for a new
// host beyond MaxHosts. A Windower with another AllowedLateness can restore
// a state, but not open steps further from Next than its own lateness keeps
// open (ErrState).
func (w *Windower) Restore(hs schemas.HostState) error {
	if err := w.checkState(hs); err != nil {
		return fmt.Errorf("restore host %q: %w", hs.Host, err)
	}
	if _, ok := w.hosts[hs.Host]; !ok && len(w.hosts) >= w.maxHosts {
		return fmt.Errorf("restore host %q: %w: already tracking %d", hs.Host, ErrTooManyHosts, len(w.hosts))
	}

	st := w.newHost(hs.Next.UnixNano(), hs.Newest.UnixNano())
	st.group = hs.Group
	st.seq = hs.Seq
	st.part = hs.Partition
	if !hs.Last.IsZero() {
		st.last = hs.Last.UnixNano()
	}
	if hs.GapSteps > 0 {
		st.gapAt, st.gapSteps = hs.GapAt.UnixNano(), hs.GapSteps
	}

	copy(st.buf, hs.Window)
	st.end = int32(len(hs.Window))
	st.n = st.end

	// checkState made sure every open step has a slot of its own.
	for k, t := range hs.OpenStarts {
		i := w.slot(t.UnixNano())
		st.buf[i], st.buf[i+1] = hs.OpenValues[k], hs.OpenCounts[k]
	}
	for _, t := range hs.Recent {
		st.remember(t.UnixNano())
	}

	w.hosts[hs.Host] = st
	return nil
}

// checkState validates what Restore relies on in hs.
func (w *Windower) checkState(hs schemas.HostState) error {
	onGrid := func(t time.Time) bool {
		ns := t.UnixNano()
		return !t.Before(minTime) && !t.After(maxTime) && w.floor(ns) == ns
	}
	switch {
	case hs.Host == "":
		return fmt.Errorf("%w: empty host", ErrState)
	case hs.Step != time.Duration(w.step) || hs.Size != int(w.size):
		return fmt.Errorf("%w: taken on step %v and size %d, this windower uses %v and %d",
			ErrState, hs.Step, hs.Size, time.Duration(w.step), w.size)
	case len(hs.Window) > int(w.size):
		return fmt.Errorf("%w: %d window values for size %d", ErrState, len(hs.Window), w.size)
	case !onGrid(hs.Next) || (!hs.Last.IsZero() && !onGrid(hs.Last)):
		return fmt.Errorf("%w: next %s or last %s is not a step start", ErrState, hs.Next, hs.Last)
	case hs.Newest.Before(minTime) || hs.Newest.After(maxTime):
		return fmt.Errorf("%w: newest %s out of range", ErrState, hs.Newest)
	case len(hs.OpenValues) != len(hs.OpenStarts) || len(hs.OpenCounts) != len(hs.OpenStarts):
		return fmt.Errorf("%w: open steps have %d starts, %d values and %d counts",
			ErrState, len(hs.OpenStarts), len(hs.OpenValues), len(hs.OpenCounts))
	}
	for _, v := range hs.Window {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%w: window value %v", ErrState, v)
		}
	}
	for k, t := range hs.OpenStarts {
		span := t.UnixNano() - hs.Next.UnixNano()
		if !onGrid(t) || span < 0 || span >= w.slots*w.step || !(hs.OpenCounts[k] >= 1) ||
			math.IsNaN(hs.OpenValues[k]) || math.IsInf(hs.OpenValues[k], 0) {
			return fmt.Errorf("%w: open step %d (%s)", ErrState, k, t)
		}
	}
	return nil
}
