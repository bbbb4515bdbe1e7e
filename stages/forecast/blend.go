package forecast

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/scalora/scalora/schemas"
)

// Blending: the model forecasts a correction to a host's last value at
// each horizon; a blend keeps, per host and horizon, how well each share
// of that correction (none, half, all or one and a half of it) would have
// done on the host's recent steps, and forecasts last + share*correction
// with the share that did best. A host whose series the model reads well
// keeps the whole correction, or more where the model is too timid; a host
// it reads badly (a kind of workload it was not trained on) falls back
// towards the last value, horizon by horizon.
//
// Each candidate's absolute errors are summed with exponential decay
// BlendDecay per step (a half-life of about 138 steps, 11.5 hours at
// 5-minute steps). The shares, the decay and the absolute error (rather
// than a least-squares share, or a second input pulling towards the
// window's mean) were chosen on a validation split; the figures are in
// doc.go (Accuracy).

// BlendSuffix ends the name of a blended forecaster: the model's name
// followed by it, in reports and in Forecast.Model.
const BlendSuffix = "+blend"

// BlendDecay is the factor each step multiplies a blend's past errors by.
const BlendDecay = 0.995

// blendShares are the shares of the model's correction a blend chooses
// from, in increasing order; modelShare is the index of the model's own
// forecast.
var blendShares = [...]float32{0, 0.5, 1, 1.5}

const modelShare = 2

// blended is last + share*d, kept within [0, max(100, last+d)]: a share
// above 1 may not take a forecast below zero, nor above 100 % further than
// the model itself went.
func blended(last float64, share float32, d float64) float64 {
	return min(max(0, last+float64(share)*d), max(100, last+d))
}

// pendScale converts a correction in CPU percent to the int16 it is kept
// as: steps of 0.01 %, up to ±327.67 %.
const pendScale = 100

// blend is one host's record of how each share of the model's corrections
// fared. It costs 64 bytes plus H*4 float32 and H*(H+1)/2 int16 (192 and
// 156 bytes at H = 12), kept small because a shard may track a million
// hosts.
type blend struct {
	// at is the start of the host's newest step the blend has seen (Unix
	// nanoseconds), to notice a step that does not follow it.
	at int64

	// rows is how many origins have corrections pending.
	rows int32

	// err[(h-1)*len(blendShares)+k] is the decayed absolute error at
	// horizon h of share k.
	err []float32

	// pend holds the corrections not yet scored, newest origin first: the
	// newest origin's H (horizons 1..H), then the one before it's H-1
	// (horizons 2..H, its horizon 1 was scored), and so on.
	pend []int16
}

func newBlend(horizon int) *blend {
	return &blend{
		err:  make([]float32, horizon*len(blendShares)),
		pend: make([]int16, horizon*(horizon+1)/2),
	}
}

// horizon is H.
func (b *blend) horizon() int { return len(b.err) / len(blendShares) }

// rowStart is where row r (the origin r steps before the newest) starts in
// pend: rows 0..r-1 hold H, H-1, ... values.
func rowStart(r, horizon int) int { return r*horizon - r*(r-1)/2 }

// reset forgets the pending corrections (the host's steps stopped
// following each other), keeping the errors learnt so far.
func (b *blend) reset() { b.rows = 0 }

// observe scores the pending corrections against the newest value of
// values, the host's window (oldest first) ending with the step that just
// closed, which must hold at least H+1 values: the step an origin r steps
// back forecast from is values[len-2-r]. It then makes room for the next
// origin's corrections, which apply must write.
func (b *blend) observe(values []float64) {
	h := b.horizon()
	n, actual := len(values), values[len(values)-1]
	for r := range int(b.rows) {
		last := values[n-2-r]
		d := float64(b.pend[rowStart(r, h)]) / pendScale
		errs := b.err[r*len(blendShares) : (r+1)*len(blendShares)]
		for k, share := range blendShares {
			e := math.Abs(blended(last, share, d) - actual)
			errs[k] = float32(BlendDecay*float64(errs[k]) + e)
		}
	}
	// Horizons with nothing pending decay too, so that all horizons weigh
	// the past alike.
	idle := b.err[int(b.rows)*len(blendShares):]
	for i := range idle {
		idle[i] *= BlendDecay
	}

	// Drop each row's scored first value; row r becomes row r+1. From the
	// oldest row, so that no row is overwritten before it moved.
	keep := min(int(b.rows), h-1)
	for r := keep - 1; r >= 0; r-- {
		copy(b.pend[rowStart(r+1, h):rowStart(r+2, h)], b.pend[rowStart(r, h)+1:rowStart(r+1, h)])
	}
	b.rows = int32(keep)
}

// apply turns out, the model's forecast from a window whose newest value is
// last, into the blended forecast in place, and keeps the model's
// corrections to score them as their steps close. Call observe first.
func (b *blend) apply(last float64, out []float64) {
	h := b.horizon()
	for i := range h {
		d := out[i] - last
		q := math.Round(d * pendScale)
		b.pend[i] = int16(max(math.MinInt16, min(math.MaxInt16, q)))

		// The model's own forecast while nothing is known, and on ties.
		errs := b.err[i*len(blendShares) : (i+1)*len(blendShares)]
		best := modelShare
		for k, e := range errs {
			if e < errs[best] {
				best = k
			}
		}
		out[i] = blended(last, blendShares[best], d)
	}
	b.rows++
}

// state copies b into a BlendState.
func (b *blend) state() *schemas.BlendState {
	return &schemas.BlendState{
		Horizon: b.horizon(),
		Shares:  slices.Clone(blendShares[:]),
		At:      time.Unix(0, b.at).UTC(),
		Rows:    int(b.rows),
		Errors:  slices.Clone(b.err),
		Pending: slices.Clone(b.pend),
	}
}

// blendFromState rebuilds a blend of the given horizon from st, or fails
// when st has another layout or values no blend holds.
func blendFromState(st *schemas.BlendState, horizon int) (*blend, error) {
	b := newBlend(horizon)
	switch {
	case st.Horizon != horizon || !slices.Equal(st.Shares, blendShares[:]):
		return nil, fmt.Errorf("blend of horizon %d with shares %v, the stage has %d and %v",
			st.Horizon, st.Shares, horizon, blendShares)
	case len(st.Errors) != len(b.err) || len(st.Pending) != len(b.pend):
		return nil, fmt.Errorf("blend of %d errors and %d pending values, want %d and %d",
			len(st.Errors), len(st.Pending), len(b.err), len(b.pend))
	case st.Rows < 0 || st.Rows > horizon:
		return nil, fmt.Errorf("blend with %d origins pending, at most %d", st.Rows, horizon)
	case slices.ContainsFunc(st.Errors, func(e float32) bool { return !(e >= 0) || math.IsInf(float64(e), 0) }):
		return nil, errors.New("blend with a negative or non-finite error")
	}
	copy(b.err, st.Errors)
	copy(b.pend, st.Pending)
	b.at, b.rows = st.At.UnixNano(), int32(st.Rows)
	return b, nil
}
