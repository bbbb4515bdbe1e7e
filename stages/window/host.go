package window

import "math"

// noStep marks a step time that is not set. Valid step starts lie within
// ±gridLimitNanos, so it can never be a real one.
const noStep = math.MinInt64

// recentTimes is how many of a host's latest sample times are kept to
// recognise exact duplicates.
const recentTimes = 4

// hostState is everything a Windower keeps about one host. It is kept small
// because one windower may track a million hosts: 144 bytes here (a 144-byte
// allocation) plus buf (see Windower for the total). The host name is not
// stored: it is the map key.
type hostState struct {
	group string // group of the latest sample

	// seq is the largest schemas.Sample.Seq applied: a sample at or below
	// it was applied already and is a replay.
	seq int64

	// recent holds the times of the host's last recentTimes accepted
	// samples (ring, next write at recentAt), to drop exact duplicates.
	recent   [recentTimes]int64
	recentAt uint8
	dirty    bool  // changed since the last SnapshotDirty
	part     int32 // Sample.Partition of the latest sample

	// seenAt is when, by Config.Clock, the host's latest sample was
	// accepted (Unix nanoseconds); kept only with an IdleTimeout.
	seenAt int64

	// buf holds two areas. The first, Windower.area values long (2×Size
	// at least), holds the window at buf[end-n:end], oldest first, so that
	// the window is always one contiguous slice without copying on every
	// step. Values are appended at end, and only when the area is full are
	// the newest Size-1 moved to the front (makeRoom). After it come the
	// open steps' aggregates, two
	// values per slot (sum or max, sample count), one slot per step that
	// can be open at once; step s uses slot (s/Step) mod slots.
	buf []float64

	next   int64 // start of the oldest step not closed yet
	newest int64 // latest sample time seen, Unix nanoseconds
	last   int64 // start of the last closed step with samples; noStep before

	gapAt    int64 // first missing step of the last gap that reset the window
	gapSteps int64 // length of that gap; 0 while the window was never reset

	end int32
	n   int32 // steps in the window since the last reset, at most Size
}

// makeRoom ensures that k more values can be pushed into a window area of
// length area without moving it. All pushes of one Add happen after one
// call, so the windows handed out for each closed step stay intact until
// the next Add: moving the window in between would overwrite the earlier
// ones.
func (st *hostState) makeRoom(k, size, area int32) {
	if st.end+k <= area {
		return
	}

	// The first window after the move needs the newest Size-1 values.
	keep := min(st.n, size-1)
	copy(st.buf, st.buf[st.end-keep:st.end])
	st.end = keep
	st.n = keep
}

// push appends v to the window, dropping the oldest value when it is full.
// The caller made room with makeRoom.
func (st *hostState) push(v float64, size int32) {
	st.buf[st.end] = v
	st.end++
	if st.n < size {
		st.n++
	}
}

// window is the host's window, oldest first. Its capacity ends at its length,
// so that a caller's append copies instead of writing into the buffer.
func (st *hostState) window() []float64 {
	return st.buf[st.end-st.n : st.end : st.end]
}

// reset empties the window after a gap too long to fill; the values stay in
// the buffer but are no longer part of any window.
func (st *hostState) reset(gapAt, gapSteps int64) {
	st.n = 0
	st.gapAt = gapAt
	st.gapSteps = gapSteps
}

// seen says whether a sample at ns is among the host's recent ones.
func (st *hostState) seen(ns int64) bool {
	for _, t := range st.recent {
		if t == ns {
			return true
		}
	}
	return false
}

// remember records an accepted sample time.
func (st *hostState) remember(ns int64) {
	st.recent[st.recentAt] = ns
	st.recentAt = (st.recentAt + 1) % recentTimes
}
