package window

import (
	"slices"
	"testing"
	"time"
	"unsafe"

	"github.com/scalora/scalora/schemas"
)

// Values aliases the windower's buffer: consecutive windows of a host share
// memory instead of being copied, which is why the contract says Values is
// valid only until the next Add. Only now and then is the window moved to
// the front of the buffer (Size-1 values): with the defaults, at most once
// in 20 steps.
func TestValuesAliasTheHostBuffer(t *testing.T) {
	w := newWindower(t, Config{})

	var prev []float64
	moves, steps := 0, 0
	for n := range 400 {
		got, err := w.Add(sample("h", at(n, 0), float64(n)), nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 {
			continue
		}

		c := got[0]
		if cap(c.Values) != len(c.Values) {
			t.Fatalf("step %d: cap(Values)=%d > len %d: an append by the caller would write into the buffer",
				n-1, cap(c.Values), len(c.Values))
		}
		if len(prev) > 0 && len(c.Values) > 1 {
			steps++
			if &prev[len(prev)-1] != &c.Values[len(c.Values)-2] {
				moves++
			}
		}
		prev = c.Values
	}

	if moves == 0 || moves > steps/20+1 {
		t.Errorf("the window moved %d times in %d steps, want at least once and at most once in 20", moves, steps)
	}
}

func TestAppendToValuesLeavesTheWindowIntact(t *testing.T) {
	w := newWindower(t, Config{Size: 4, MaxGapSteps: 2})
	got := feed(t, w, sample("h", at(0, 0), 1), sample("h", at(1, 0), 2))

	got, _ = w.Add(sample("h", at(2, 0), 3), nil)
	_ = append(got[0].Values, 99) // a careless caller

	got, _ = w.Add(sample("h", at(3, 0), 4), nil)
	if want := []float64{1, 2, 3}; !slices.Equal(got[0].Values, want) {
		t.Errorf("window after a caller's append: %v, want %v", got[0].Values, want)
	}
}

// Regression: a gap filled while the window is full closes several steps in
// one Add. Writing each value twice into a 2×Size ring (or moving the buffer
// between those steps) overwrote the windows handed out earlier in the same
// call. Every buffer position is tried, since the move happens at one.
func TestGapFilledWhileWindowFullKeepsEveryWindowOfOneAdd(t *testing.T) {
	const size, maxGap = 4, 3

	for prefix := size; prefix < 3*size; prefix++ {
		w := newWindower(t, Config{Size: size, MaxGapSteps: maxGap})

		var history []float64
		for n := range prefix {
			feed(t, w, sample("h", at(n, 0), float64(n)))
			if n > 0 {
				history = append(history, float64(n-1))
			}
		}

		// Close step prefix-1, then skip maxGap steps.
		gapEnd := prefix + maxGap
		feed(t, w, sample("h", at(gapEnd, 0), 100))
		history = append(history, float64(prefix-1))

		got, err := w.Add(sample("h", at(gapEnd+1, 0), 0), nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != maxGap+1 {
			t.Fatalf("prefix %d: closed %d steps, want %d", prefix, len(got), maxGap+1)
		}

		// Check every window only after the call returned.
		prev := float64(prefix - 1)
		for i := range got {
			v := 100.0
			if i < maxGap {
				v = prev + (100-prev)*float64(i+1)/float64(maxGap+1)
			}
			history = append(history, v)
			want := history[max(0, len(history)-size):]
			if !slices.Equal(got[i].Values, want) {
				t.Errorf("prefix %d, step %d of the Add: values %v, want %v", prefix, i, got[i].Values, want)
			}
		}
	}
}

// Steady state: a known host with a full window, and dst with room.
func TestAddDoesNotAllocateInSteadyState(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		gap  int // steps between samples; >1 makes each Add fill a gap
	}{
		{"mean", Config{}, 1},
		{"max", Config{Aggregate: AggregateMax}, 1},
		{"gap filled on every close", Config{Size: 8, MaxGapSteps: 3}, 3},
		{"allowed lateness", Config{AllowedLateness: 150 * time.Second}, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWindower(t, tc.cfg)
			hosts := []string{"a", "b", "c"}
			n := 0
			next := func() schemas.Sample {
				s := sample(hosts[n%len(hosts)], at(n/len(hosts)*tc.gap, 0), float64(n%100))
				n++
				return s
			}
			dst := make([]Closed, 0, 16)
			for range 100 * len(hosts) {
				dst, _ = w.Add(next(), dst[:0])
			}

			allocs := testing.AllocsPerRun(1000, func() {
				var err error
				dst, err = w.Add(next(), dst[:0])
				if err != nil || len(dst) == 0 {
					t.Fatalf("Add closed %d steps, err %v", len(dst), err)
				}
			})
			if allocs != 0 {
				t.Errorf("%v allocations per Add, want 0", allocs)
			}
		})
	}
}

// A host warming up (not Ready yet, never reset) does not allocate either:
// its Reason is built once in New.
func TestWarmingUpDoesNotAllocate(t *testing.T) {
	w := newWindower(t, Config{Size: 4000, MaxGapSteps: 1})
	feed(t, w, sample("h", at(0, 0), 1))

	n := 1
	dst := make([]Closed, 0, 4)
	allocs := testing.AllocsPerRun(1000, func() {
		dst, _ = w.Add(sample("h", at(n, 0), 1), dst[:0])
		n++
	})
	if allocs != 0 || dst[0].Ready {
		t.Errorf("%v allocations per Add while warming up (ready=%v), want 0", allocs, dst[0].Ready)
	}
}

// The per-host state is what a million hosts multiply; this pins its size
// so that a new field is a deliberate choice (update the Windower doc).
func TestHostStateStaysSmall(t *testing.T) {
	if got := unsafe.Sizeof(hostState{}); got > 144 {
		t.Errorf("hostState is %d bytes, documented as 144", got)
	}
}
