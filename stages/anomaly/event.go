package anomaly

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
//
// Two knobs shape an event (Config.Persist and Config.Rearm): an event
// opens only on the Persist-th anomalous window in a row, and while it is
// open a window counts towards its Cooldown only if it is calm: not
// anomalous and, when Rearm is above 0, scored below Rearm.
//
// 8 bytes: the kind is kept as its index in kindCodes.
type event struct {
	open  bool
	kind  uint8  // index in kindCodes of the event's kind
	run   uint16 // anomalous windows in a row, saturating
	quiet uint32 // calm windows in a row since the last anomaly
}

// suppressedNote is the Explanation of an anomalous window that belongs to
// an event already reported. A constant, so that suppressing allocates
// nothing.
const suppressedNote = "anomalous, part of an event already reported"

// pendingNote is the Explanation of an anomalous window that has not yet
// lasted Config.Persist windows in a row, so opens no event yet.
const pendingNote = "anomalous, not yet for long enough to report"

// step advances the event by one scored window, of kind k when anomalous;
// calm says whether a window that is not anomalous counts towards the
// cooldown (see event). It says whether the window is to be reported (it
// opens an event) and whether it is anomalous but not yet persistent.
// cooldown < 0 turns grouping off: every anomalous window that has
// persisted is reported.
func (e *event) step(anomalous, calm bool, k Kind, cooldown, persist int) (report, pending bool) {
	if !anomalous {
		e.run = 0
		if e.open && calm {
			e.quiet++
			if int(e.quiet) > cooldown {
				e.open = false
			}
		} else if e.open {
			e.quiet = 0
		}
		return false, false
	}
	if e.run < ^uint16(0) {
		e.run++
	}
	persisted := int(e.run) >= persist
	if cooldown < 0 {
		return persisted, !persisted
	}

	e.quiet = 0
	code := kindCode(k)
	if e.open && (code == e.kind || (k != KindFlatline && k != KindIdle)) {
		return false, false
	}
	if !persisted {
		return false, true
	}
	e.open = true
	e.kind = code
	return true, false
}

// kindCodes are the kinds an event can hold, by index.
var kindCodes = [...]Kind{KindSpike, KindDrop, KindFlatline, KindIdle}

// kindCode is k's index in kindCodes, or len(kindCodes) for an unknown kind.
func kindCode(k Kind) uint8 {
	for i, c := range kindCodes {
		if c == k {
			return uint8(i)
		}
	}
	return uint8(len(kindCodes))
}
