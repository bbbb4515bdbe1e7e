package anomaly

import "time"

// event is a host's current anomaly event: a run of anomalous windows,
// reported once, at its first window.
//
// One fault makes many anomalous windows: a one-step spike stays in the
// window for Size-1 more steps, and a level shift stays anomalous until the
// forest refits on it. Reporting each window would flood the anomalies
// topic with one fault, and NAB-style scoring counts every repeat as a false
// positive. So the first anomalous window of a host opens an event and is
// reported; later anomalous windows extend the event and are not reported;
// the event ends after Config.Cooldown windows in a row that are not
// anomalous, and the next anomalous window opens a new one.
//
// One exception: a window typed flatline or idle inside an event of another
// kind opens a new event. Those kinds are states that last and mean
// something else (a stuck agent, capacity paid for and unused) than the
// drop or spike that usually leads into them.
type event struct {
	open  bool
	quiet int // windows in a row without an anomaly since the last one
	kind  Kind
	since time.Time
}

// suppressedNote is the Explanation of an anomalous window that belongs to
// an event already reported. A constant, so that suppressing allocates
// nothing.
const suppressedNote = "anomalous, part of an event already reported"

// step advances the event by one scored window, of kind k when anomalous,
// and says whether the window is to be reported (it opens an event).
// cooldown < 0 turns grouping off: every anomalous window is reported.
func (e *event) step(anomalous bool, k Kind, at time.Time, cooldown int) (report bool) {
	if cooldown < 0 {
		return anomalous
	}
	if !anomalous {
		if e.open {
			e.quiet++
			if e.quiet > cooldown {
				e.open = false
			}
		}
		return false
	}

	e.quiet = 0
	if e.open && (k == e.kind || (k != KindFlatline && k != KindIdle)) {
		return false
	}
	e.open = true
	e.kind = k
	e.since = at
	return true
}
