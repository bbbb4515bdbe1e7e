package decision

import (
	"math"
	"time"
)

// headroom sizes a group's reserve for forecast misses, causally, from its
// own recent record.
//
// A scale-out decided at step t-lead is the last one whose instances serve
// step t (see leadSteps), so the base need decided then (the need before
// any reserve) is what step t had to live with if the forecast was all it
// went on. When step t closes, its demand is known, and the shortfall
//
//	ceil(demand(t) - baseNeed(t-lead))
//
// instances, or 0 when the base need covered it, is recorded. The reserve
// is the HeadroomQuantile of the shortfalls recorded over the last
// HeadroomWindow: added to every base need, it would have covered that
// share of the recent steps. The decision keeps it when scaling in and
// never orders it (see decide). A shortfall counts only what the target
// utilisation's own headroom did not absorb, so a forecast that errs
// within it costs nothing.
//
// Shortfalls are measured against the base need, not the need with its
// reserve, so that the record describes the forecast and not the reserve
// (which would otherwise shrink the shortfalls it is sized from and
// oscillate). They are whole instances below MaxInstances+1, so the record
// is a ring plus a histogram of counts, and a step costs O(1) plus a walk
// of the histogram from the largest shortfall seen: no allocation after
// the group's first step.
//
// Known limitation: the record overstates the misses of a group whose
// scale-in was held back by the stabilisation window (it ran more than the
// base need), and it remembers a burst for the whole window, so one busy
// hour raises the reserve for HeadroomWindow. A quantile per hour of day
// would size diurnal groups more closely.
type headroom struct {
	q float64 // HeadroomQuantile; negative: no reserve

	// base holds the base needs of the last lead consecutive steps,
	// oldest at baseHead; baseN counts them, baseLast is the newest's time.
	base     []int
	baseHead int
	baseN    int
	baseLast time.Time

	// short holds the last len(short) shortfalls, oldest at head; n counts
	// them; counts[k] is how many equal k; top bounds the largest.
	short  []int32
	head   int
	n      int
	counts []int32
	top    int
}

func newHeadroom(cfg *GroupConfig, lead int, stepLen time.Duration) headroom {
	if cfg.HeadroomQuantile < 0 {
		return headroom{q: cfg.HeadroomQuantile}
	}
	return headroom{
		q:      cfg.HeadroomQuantile,
		base:   make([]int, lead),
		short:  make([]int32, max(1, ceilDiv(cfg.HeadroomWindow, stepLen))),
		counts: make([]int32, cfg.MaxInstances+1),
	}
}

// observe records step t, closed with demand (instance units) and decided
// with base need baseNeed: the shortfall of the base need decided lead
// steps earlier, when that step and every one since were decided, then
// baseNeed itself. A gap in the steps restarts the lead, not the record.
func (h *headroom) observe(t time.Time, stepLen time.Duration, demand float64, baseNeed int) {
	if h.q < 0 {
		return
	}
	if h.baseN > 0 && !t.Equal(h.baseLast.Add(stepLen)) {
		h.baseHead, h.baseN = 0, 0
	}
	h.baseLast = t

	lead := len(h.base)
	if h.baseN < lead {
		h.base[(h.baseHead+h.baseN)%lead] = baseNeed
		h.baseN++
		return
	}
	short := math.Ceil(demand - float64(h.base[h.baseHead]) - ceilSlack)
	h.record(int(min(max(short, 0), float64(len(h.counts)-1))))
	h.base[h.baseHead] = baseNeed
	h.baseHead = (h.baseHead + 1) % lead
}

// record adds one shortfall, forgetting the oldest when the ring is full.
func (h *headroom) record(s int) {
	size := len(h.short)
	if h.n == size {
		h.counts[h.short[h.head]]--
		h.short[h.head] = int32(s)
		h.head = (h.head + 1) % size
	} else {
		h.short[(h.head+h.n)%size] = int32(s)
		h.n++
	}
	h.counts[s]++
	h.top = max(h.top, s)
}

// reserve returns the smallest r such that at most the share 1-q of the
// recorded shortfalls exceed r: 0 with no record or no reserve.
func (h *headroom) reserve() int {
	if h.q < 0 || h.n == 0 {
		return 0
	}
	allowed := int32(math.Floor((1-h.q)*float64(h.n) + ceilSlack))
	for h.top > 0 && h.counts[h.top] == 0 {
		h.top--
	}
	above := int32(0) // shortfalls greater than r
	for r := h.top; r > 0; r-- {
		if above+h.counts[r] > allowed {
			return r
		}
		above += h.counts[r]
	}
	return 0
}
