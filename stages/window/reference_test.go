package window

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas"
)

// reference is a plain, allocation-happy model of the windower for one
// host, written from the documented rules: it sees all of the host's samples
// at once, in arrival order, and ends with a flush. It returns what closed
// and how many samples were late.
func reference(cfg Config, samples []schemas.Sample) ([]Closed, int) {
	cfg.SetDefaults()
	stepOf := func(t time.Time) int64 { // samples are after 1970
		return int64(t.Sub(time.Unix(0, 0)) / cfg.Step)
	}

	// A sample is late when its step ended at or before the watermark of
	// the samples accepted before it.
	type agg struct {
		idx  int64 // step number since the epoch
		vals []float64
	}
	byStep := map[int64]*agg{}
	var newest time.Time
	late := 0
	for i, s := range samples {
		idx := stepOf(s.Time)
		stepEnd := time.Unix(0, (idx+1)*int64(cfg.Step))
		if i > 0 && !stepEnd.After(newest.Add(-cfg.AllowedLateness)) {
			late++
			continue
		}
		if s.Time.After(newest) {
			newest = s.Time
		}
		if byStep[idx] == nil {
			byStep[idx] = &agg{idx: idx}
		}
		byStep[idx].vals = append(byStep[idx].vals, s.CPU)
	}
	var steps []agg
	for _, a := range byStep {
		steps = append(steps, *a)
	}
	slices.SortFunc(steps, func(a, b agg) int { return int(a.idx - b.idx) })

	var (
		out      []Closed
		history  []float64 // values since the last reset
		gapAt    time.Time
		gapSteps int64
	)
	emit := func(idx int64, v float64, samples int) {
		history = append(history, v)
		win := slices.Clone(history[max(0, len(history)-cfg.Size):])
		c := Closed{
			Step: schemas.Step{
				Host: "h", Group: "web", Time: time.Unix(0, idx*int64(cfg.Step)).UTC(),
				CPU: v, Samples: samples, Filled: samples == 0,
			},
			Values: win,
			Ready:  len(history) >= cfg.Size,
		}
		switch {
		case c.Ready:
		case gapSteps > 0:
			c.Reason = fmt.Sprintf("gap of %d steps at %s; need %d steps, have %d",
				gapSteps, gapAt.Format(time.RFC3339Nano), cfg.Size, len(history))
		default:
			c.Reason = fmt.Sprintf("have %d of %d steps", len(history), cfg.Size)
		}
		out = append(out, c)
	}

	for i, a := range steps {
		v := a.vals[0]
		for _, x := range a.vals[1:] {
			if cfg.Aggregate == AggregateMax {
				v = math.Max(v, x)
			} else {
				v += x
			}
		}
		if cfg.Aggregate == AggregateMean {
			v /= float64(len(a.vals))
		}

		if i > 0 {
			prevIdx := steps[i-1].idx
			gap := a.idx - prevIdx - 1
			switch {
			case gap == 0:
			case gap <= int64(cfg.MaxGapSteps):
				prev := history[len(history)-1]
				for k := int64(1); k <= gap; k++ {
					emit(prevIdx+k, prev+(v-prev)*float64(k)/float64(gap+1), 0)
				}
			default:
				history = nil
				gapSteps = gap
				gapAt = time.Unix(0, (prevIdx+1)*int64(cfg.Step)).UTC()
			}
		}
		emit(a.idx, v, len(a.vals))
	}
	return out, late
}

// randomHost returns the samples of one host: several per step, single
// steps, short gaps and long ones, in step order.
func randomHost(r *rand.Rand, step time.Duration, n int) []schemas.Sample {
	var out []schemas.Sample
	idx := int64(base.Sub(time.Unix(0, 0)) / step)
	for range n {
		switch p := r.IntN(10); {
		case p < 4: // same step
		case p < 8:
			idx++
		default:
			idx += 2 + r.Int64N(10)
		}
		t := time.Unix(0, idx*int64(step)+r.Int64N(int64(step)))
		out = append(out, sample("h", t, math.Round(r.Float64()*1200)/10))
	}
	return out
}

// TestMatchesReference runs random configs and samples through the windower
// and the reference, hosts interleaved, and compares every closed step and
// the late count. Samples arrive delayed at random, some by more than the
// allowed lateness.
func TestMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	steps := []time.Duration{time.Second, time.Minute, 90 * time.Second, 7 * time.Minute}

	for round := range 400 {
		size := 2 + r.IntN(9)
		cfg := Config{
			Step:        steps[r.IntN(len(steps))],
			Size:        size,
			Aggregate:   []Aggregate{AggregateMean, AggregateMax}[r.IntN(2)],
			MaxGapSteps: r.IntN(size+1) - 1, // -1 (off) to Size-1; 0 means 5
		}
		if cfg.MaxGapSteps >= size {
			cfg.MaxGapSteps = size - 1
		}
		if r.IntN(2) == 0 { // any lateness up to the limit, not only whole steps
			cfg.AllowedLateness = time.Duration(r.Int64N(int64(size)*int64(cfg.Step) + 1))
		}

		// Each sample arrives after a random delay; up to three steps past
		// the allowed lateness, or none at all in a quarter of the rounds.
		maxDelay := int64(cfg.AllowedLateness + 3*cfg.Step)
		if r.IntN(4) == 0 {
			maxDelay = 0
		}
		type arrival struct {
			s  schemas.Sample
			at time.Time
		}
		hosts := map[string][]schemas.Sample{}
		var queue []arrival
		for _, h := range []string{"x", "y", "z"} {
			for _, s := range randomHost(r, cfg.Step, 20+r.IntN(80)) {
				s.Host = h
				delay := time.Duration(0)
				if maxDelay > 0 {
					delay = time.Duration(r.Int64N(maxDelay))
				}
				queue = append(queue, arrival{s, s.Time.Add(delay)})
			}
		}
		slices.SortStableFunc(queue, func(a, b arrival) int { return a.at.Compare(b.at) })

		w := newWindower(t, cfg)
		var got []Closed
		late := map[string]int{}
		for _, a := range queue {
			hosts[a.s.Host] = append(hosts[a.s.Host], a.s)

			n := len(got)
			var err error
			got, err = w.Add(a.s, got)
			var se *schemas.SampleError
			switch {
			case errors.As(err, &se) && se.Reason == schemas.ReasonLate:
				late[a.s.Host]++
			case err != nil:
				t.Fatal(err)
			}
			cloneValues(got[n:])
		}
		got = w.FlushAll(got)

		total := 0
		for h, ss := range hosts {
			for i := range ss {
				ss[i].Host = "h"
			}
			want, wantLate := reference(cfg, ss)
			total += wantLate

			var mine []Closed
			for _, c := range got {
				if c.Step.Host == h {
					c.Step.Host = "h"
					mine = append(mine, c)
				}
			}
			if err := sameClosed(mine, want); err != nil {
				t.Fatalf("round %d, host %s, config %+v: %v", round, h, cfg, err)
			}
			if late[h] != wantLate {
				t.Fatalf("round %d, host %s, config %+v: %d late, reference %d", round, h, cfg, late[h], wantLate)
			}
		}
		if w.Late() != uint64(total) {
			t.Fatalf("round %d: Late() = %d, want %d", round, w.Late(), total)
		}
	}
}

// sameClosed says where got and want first differ.
func sameClosed(got, want []Closed) error {
	if len(got) != len(want) {
		return fmt.Errorf("closed %d steps, reference %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if stepLine(g.Step) != stepLine(w.Step) {
			return fmt.Errorf("step %d: %s, reference %s", i, stepLine(g.Step), stepLine(w.Step))
		}
		if !slices.Equal(g.Values, w.Values) || g.Ready != w.Ready || g.Reason != w.Reason {
			return fmt.Errorf("step %d (%s): values %v ready %v %q, reference %v %v %q", i,
				stepLine(g.Step), g.Values, g.Ready, g.Reason, w.Values, w.Ready, w.Reason)
		}
	}
	return nil
}
