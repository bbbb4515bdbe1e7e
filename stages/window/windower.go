package window

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/scalora/scalora/schemas"
)

// gridLimitNanos bounds the sample times accepted (about 1823-11 to
// 2116-02), so that step arithmetic in Unix nanoseconds cannot overflow.
const gridLimitNanos = 1 << 62

// The earliest and latest sample times accepted.
var (
	minTime = time.Unix(0, -gridLimitNanos+1).UTC()
	maxTime = time.Unix(0, gridLimitNanos-1).UTC()
)

// Windower keeps one aligned window per host over event time, and closes
// steps as samples arrive.
//
// Steps are Config.Step wide and start at whole multiples of Step since the
// Unix epoch, whatever the time zone of the samples. A host's open steps
// aggregate its samples (mean or max). Each host has a watermark: its
// latest sample time minus Config.AllowedLateness. A step closes when the
// watermark reaches its end: with no lateness (this package's default; the
// pipeline's is one step), on the first sample of the host that falls in
// a later step. All of this follows
// the order in which Add is called for a host (for Kafka, the order of the
// host's partition), not wall-clock time: a host that stops sending keeps
// its last steps open until Flush, or until CloseIdle closes them once
// Config.IdleTimeout has passed on Config.Clock (off by default). A sample
// for a step that already closed is rejected as late.
//
// Memory: with the defaults (Size 24, no lateness), a host costs a
// 144-byte state (a 144-byte allocation: with the last seq applied and the
// times of its last four samples, for replays and duplicates, and when it
// was last seen, for IdleTimeout) and a
// 416-byte buffer: 2×Size window values, plus 16 bytes per step that can be
// open, rounded up by the allocator. With its map entry that is 614 bytes
// (BenchmarkHostMemory), plus the host name. Hosts are never evicted yet: a host that stops sending keeps
// its state until the Windower is dropped.
//
// A Windower is not safe for concurrent use: the pipeline owns one per
// partition-consumer goroutine, or guards it with a lock.
type Windower struct {
	step     int64
	size     int32
	max      bool
	maxGap   int64
	lateness int64
	slots    int64 // steps that can be open at once per host
	room     int32 // most values one Add pushes into a window
	area     int32 // length of a host's window area
	maxHosts int
	idle     int64 // Config.IdleTimeout; 0 when off
	clock    Clock

	hosts map[string]*hostState

	// have[k] is the Reason of a window of k steps that was never reset,
	// built once so that closing a warming-up step does not allocate.
	have []string

	// dirty lists the hosts changed since the last SnapshotDirty.
	dirty []string

	late, duplicates, replayed uint64
}

// New returns a Windower for cfg, after applying SetDefaults to its copy of
// cfg and validating it.
func New(cfg Config) (*Windower, error) {
	cfg.SetDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("new windower: %w", err)
	}

	// The open steps run from the one holding the watermark to the one
	// holding the latest sample, less than AllowedLateness+Step apart: at
	// most ceil(AllowedLateness/Step)+1 steps.
	step := int64(cfg.Step)
	lateness := int64(cfg.AllowedLateness)
	w := &Windower{
		step:     step,
		size:     int32(cfg.Size),
		max:      cfg.Aggregate == AggregateMax,
		maxGap:   int64(cfg.MaxGapSteps),
		lateness: lateness,
		slots:    (lateness+step-1)/step + 1,
		maxHosts: cfg.MaxHosts,
		idle:     int64(cfg.IdleTimeout),
		clock:    cmp.Or[Clock](cfg.Clock, systemClock{}),
		hosts:    make(map[string]*hostState),
		have:     make([]string, cfg.Size),
	}

	// One Add closes at most every open step, and fills at most one gap of
	// MaxGapSteps before the oldest: the steps it pushes lie between the
	// last closed step and the last open one.
	w.room = int32(max(w.maxGap, 0) + w.slots)
	w.area = max(2*w.size, w.size-1+w.room)

	for k := range w.have {
		w.have[k] = fmt.Sprintf("have %d of %d steps", k, cfg.Size)
	}
	return w, nil
}

// Add places s on its host's step grid and appends to dst the steps that s
// closed, oldest first, and returns dst. A sample that does not move the
// host's watermark past the end of a step closes nothing. When steps are
// missing, a gap of up to MaxGapSteps is filled when the step after it
// closes (so that the interpolation uses that step's final value), and a
// longer gap resets the host's window. A closed step's Group is that of
// the host's latest sample before the call that closed it; a sample
// without a group counts as schemas.DefaultGroup.
//
// Every Closed appended aliases the host's buffer and is valid until the
// next call to Add; all of those appended by one call are valid together.
// Add does not allocate once the host is known, dst has room, and the
// host's window is full.
//
// A sample whose Seq is set and not above the largest Seq applied for its
// host is skipped with ErrReplayed; one with exactly the time of one of the
// host's last four samples is dropped with ErrDuplicate. Both are counted
// (Replayed, Duplicates) and are not faults of the input.
//
// The error wraps *schemas.SampleError when s cannot be placed: ReasonLate
// for a step already closed (counted by Late), ReasonHost for an empty host,
// ReasonCPU for a CPU that is not finite, ReasonTime for a time outside
// about 1823-11 to 2116-02. It wraps ErrTooManyHosts for a new host beyond
// MaxHosts. On error, dst and the host's state are unchanged. CPU is kept
// as measured: range checks are schemas.DecodeSample's job, and clipping is
// the decision's.
func (w *Windower) Add(s schemas.Sample, dst []Closed) ([]Closed, error) {
	ns, start, err := w.place(s)
	if err != nil {
		return dst, fmt.Errorf("window host %q: %w", s.Host, err)
	}

	st := w.hosts[s.Host]
	if st == nil {
		if len(w.hosts) >= w.maxHosts {
			return dst, fmt.Errorf("window host %q: %w: already tracking %d",
				s.Host, ErrTooManyHosts, len(w.hosts))
		}
		st = w.newHost(w.floor(ns-w.lateness), ns)
		w.hosts[s.Host] = st
	}

	switch {
	case s.Seq > 0 && s.Seq <= st.seq:
		w.replayed++
		return dst, fmt.Errorf("window host %q: %w: seq %d, applied up to %d", s.Host, ErrReplayed, s.Seq, st.seq)
	case st.seen(ns):
		w.duplicates++
		return dst, fmt.Errorf("window host %q: %w at %s", s.Host, ErrDuplicate, s.Time.UTC().Format(time.RFC3339Nano))
	case start < st.next:
		w.late++
		return dst, fmt.Errorf("window host %q: %w", s.Host, w.lateError(st, s, start))
	}

	st.remember(ns)
	st.seq = max(st.seq, s.Seq)
	st.part = s.Partition
	if w.idle > 0 {
		st.seenAt = w.clock.Now().UnixNano()
	}
	w.markDirty(s.Host, st)

	if ns > st.newest {
		st.newest = ns
		dst = w.advance(s.Host, st, w.floor(ns-w.lateness), dst)
	}
	w.aggregate(st, start, s.CPU)

	// A closed step carries the group of the host's latest sample before
	// the one that closed it: with no lateness, the group it was built
	// under, even when the closing sample names a new group.
	group := s.Group
	if group == "" {
		group = schemas.DefaultGroup
	}
	if st.group != group {
		st.group = group
	}
	return dst, nil
}

// Flush closes all of host's open steps, as if its watermark had moved
// past its latest sample, and appends what it closed to dst like Add. A
// later sample of host in the step of its latest sample or before it is
// late; one in a later step opens a new step, with the gap rules of Add.
// Like Add, it ends the validity of the Values handed out before it.
func (w *Windower) Flush(host string, dst []Closed) []Closed {
	st := w.hosts[host]
	if st == nil {
		return dst
	}
	w.markDirty(host, st)
	return w.advance(host, st, w.floor(st.newest)+w.step, dst)
}

// CloseIdle flushes every host that has an open step and whose latest
// sample was accepted IdleTimeout or longer ago by Clock, and appends what
// it closed to dst like Add (hosts in no particular order). It does nothing
// without an IdleTimeout. It visits every host: call it about once a step,
// not per sample.
func (w *Windower) CloseIdle(dst []Closed) []Closed {
	if w.idle <= 0 {
		return dst
	}
	now := w.clock.Now().UnixNano()
	for host, st := range w.hosts {
		if now-st.seenAt >= w.idle && w.hasOpen(st) {
			dst = w.Flush(host, dst)
		}
	}
	return dst
}

// FlushAll flushes every host with an open step, in the order of host
// names, and appends what it closed to dst like Add. It allocates a list of
// those hosts: it is meant for the end of a replay or for shutdown.
func (w *Windower) FlushAll(dst []Closed) []Closed {
	var open []string
	for host, st := range w.hosts {
		if w.hasOpen(st) {
			open = append(open, host)
		}
	}
	slices.Sort(open)

	for _, host := range open {
		dst = w.Flush(host, dst)
	}
	return dst
}

// Late is how many samples Add has rejected as late since New.
func (w *Windower) Late() uint64 { return w.late }

// Duplicates is how many samples Add has dropped as exact duplicates.
func (w *Windower) Duplicates() uint64 { return w.duplicates }

// Replayed is how many samples Add has skipped as already applied.
func (w *Windower) Replayed() uint64 { return w.replayed }

// markDirty lists host for the next SnapshotDirty.
func (w *Windower) markDirty(host string, st *hostState) {
	if !st.dirty {
		st.dirty = true
		w.dirty = append(w.dirty, host)
	}
}

// newHost returns the state of a host first seen at ns, with next as its
// oldest step that may open.
func (w *Windower) newHost(next, ns int64) *hostState {
	st := &hostState{
		buf:    make([]float64, int64(w.area)+2*w.slots),
		next:   next,
		newest: ns,
		last:   noStep,
	}
	for i := range st.recent {
		st.recent[i] = noStep
	}
	return st
}

// Hosts is how many hosts the Windower tracks.
func (w *Windower) Hosts() int { return len(w.hosts) }

// place validates what the windower relies on in s and returns its time and
// the start of its step, in Unix nanoseconds.
func (w *Windower) place(s schemas.Sample) (ns, start int64, err error) {
	switch {
	case s.Host == "":
		return 0, 0, &schemas.SampleError{Reason: schemas.ReasonHost, Detail: "host is empty"}
	case math.IsNaN(s.CPU) || math.IsInf(s.CPU, 0):
		return 0, 0, &schemas.SampleError{Reason: schemas.ReasonCPU, Detail: "cpu is not a finite number"}
	case s.Time.Before(minTime) || s.Time.After(maxTime):
		return 0, 0, &schemas.SampleError{
			Reason: schemas.ReasonTime,
			Detail: fmt.Sprintf("ts %s is outside [%s, %s]", s.Time.Format(time.RFC3339Nano),
				minTime.Format(time.RFC3339), maxTime.Format(time.RFC3339)),
		}
	}

	ns = s.Time.UnixNano()
	return ns, w.floor(ns), nil
}

// floor returns the start of the step holding ns. time.Truncate is not
// used: it rounds relative to the zero time, which is epoch-aligned only for
// steps that divide a day.
func (w *Windower) floor(ns int64) int64 {
	r := ns % w.step
	if r < 0 {
		r += w.step // floor, not truncation toward zero, before 1970
	}
	return ns - r
}

// slot returns the index in st.buf of the aggregate of the open step
// starting at start; the sample count follows it.
func (w *Windower) slot(start int64) int {
	i := (start / w.step) % w.slots
	if i < 0 {
		i += w.slots
	}
	return int(w.area) + 2*int(i)
}

// aggregate adds one sample's CPU to its open step.
func (w *Windower) aggregate(st *hostState, start int64, cpu float64) {
	i := w.slot(start)
	switch {
	case st.buf[i+1] == 0:
		st.buf[i] = cpu
	case w.max:
		st.buf[i] = max(st.buf[i], cpu)
	default:
		st.buf[i] += cpu
	}
	st.buf[i+1]++
}

// hasOpen says whether the host has a step with samples still open.
func (w *Windower) hasOpen(st *hostState) bool {
	for i := range w.slots {
		if st.buf[int64(w.area)+2*i+1] > 0 {
			return true
		}
	}
	return false
}

// advance closes the host's open steps that start before target, oldest
// first, and makes target the oldest step that may still open.
func (w *Windower) advance(host string, st *hostState, target int64, dst []Closed) []Closed {
	if target <= st.next {
		return dst
	}

	// Only the slots' steps can hold samples: beyond them, every step up to
	// target is missing, and the gap is counted when the next step closes.
	end := min(target, st.next+w.slots*w.step)
	st.makeRoom(w.room, w.size, w.area)
	for s := st.next; s < end; s += w.step {
		dst = w.closeStep(host, st, s, dst)
	}

	st.next = target
	return dst
}

// closeStep closes the step starting at start if it has samples: first the
// filled steps of the gap before it, if any, then the step itself. A step
// without samples is left to the gap count of the next one that has some.
func (w *Windower) closeStep(host string, st *hostState, start int64, dst []Closed) []Closed {
	i := w.slot(start)
	count := st.buf[i+1]
	if count == 0 {
		return dst
	}

	v := st.buf[i]
	if !w.max {
		v /= count
	}
	st.buf[i], st.buf[i+1] = 0, 0

	var g int64
	if st.last != noStep {
		switch gap := (start-st.last)/w.step - 1; {
		case gap == 0:
		case gap <= w.maxGap:
			g = gap
		default:
			st.reset(st.last+w.step, gap)
		}
	}

	if g > 0 {
		// Linear between the last closed step and this one.
		prev := st.buf[st.end-1]
		for k := int64(1); k <= g; k++ {
			fv := prev + (v-prev)*float64(k)/float64(g+1)
			st.push(fv, w.size)
			dst = append(dst, w.closed(host, st, st.last+k*w.step, fv, 0))
		}
	}

	st.push(v, w.size)
	dst = append(dst, w.closed(host, st, start, v, int(count)))
	st.last = start
	return dst
}

// closed builds the Closed of the step starting at start, which was just
// pushed into the host's window. samples is 0 for a filled step.
func (w *Windower) closed(host string, st *hostState, start int64, v float64, samples int) Closed {
	c := Closed{
		Step: schemas.Step{
			Host:    host,
			Group:   st.group,
			Time:    time.Unix(0, start).UTC(),
			CPU:     v,
			Samples: samples,
			Filled:  samples == 0,
		},
		Values: st.window(),
		Ready:  st.n == w.size,
	}

	switch {
	case c.Ready:
	case st.gapSteps > 0:
		// Allocates, but only while a host warms up again after a reset.
		c.Reason = fmt.Sprintf("gap of %d steps at %s; need %d steps, have %d",
			st.gapSteps, time.Unix(0, st.gapAt).UTC().Format(time.RFC3339Nano), w.size, st.n)
	default:
		c.Reason = w.have[st.n]
	}
	return c
}

// lateError says which step s fell in and which step is the oldest open.
func (w *Windower) lateError(st *hostState, s schemas.Sample, start int64) error {
	return &schemas.SampleError{
		Reason: schemas.ReasonLate,
		Detail: fmt.Sprintf("sample at %s falls in step %s, already closed: the oldest open step is %s",
			s.Time.UTC().Format(time.RFC3339Nano), fmtNanos(start), fmtNanos(st.next)),
	}
}

// fmtNanos formats a step start for messages.
func fmtNanos(ns int64) string {
	return time.Unix(0, ns).UTC().Format(time.RFC3339Nano)
}
