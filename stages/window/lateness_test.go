package window

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas"
)

func TestAllowedLatenessClosesOnTheWatermark(t *testing.T) {
	ns := time.Nanosecond
	w := newWindower(t, Config{AllowedLateness: 30 * time.Second})

	// The watermark stops one nanosecond short of the end of step 0, so a
	// sample 40 s behind the latest still counts there.
	got := feed(t, w,
		sample("h", at(0, 10*time.Second), 10),
		sample("h", at(1, 30*time.Second-ns), 20),
		sample("h", at(0, 50*time.Second), 30),
	)
	wantSteps(t, got)

	// The watermark reaches the end of step 0 exactly.
	got = feed(t, w, sample("h", at(1, 30*time.Second), 40))
	wantSteps(t, got, step(at(0, 0), 20, 2))

	_, err := w.Add(sample("h", at(1, -ns), 99), nil)
	var se *schemas.SampleError
	if !errors.As(err, &se) || se.Reason != schemas.ReasonLate ||
		!strings.Contains(err.Error(), "step 2026-12-03T10:00:00Z, already closed: the oldest open step is 2026-12-03T10:01:00Z") {
		t.Errorf("sample for the closed step: err %v, want late naming both steps", err)
	}

	got = feed(t, w, sample("h", at(1, 10*time.Second), 60))
	got = w.Flush("h", got)
	wantSteps(t, got, step(at(1, 0), 40, 3))
	if w.Late() != 1 {
		t.Errorf("Late() = %d, want 1", w.Late())
	}
}

func TestAllowedLatenessSortsStepsThatArriveOutOfOrder(t *testing.T) {
	w := newWindower(t, Config{Size: 4, MaxGapSteps: 2, AllowedLateness: 2 * time.Minute})

	got := feed(t, w,
		sample("h", at(2, 5*time.Second), 20),
		sample("h", at(0, 30*time.Second), 0),
		sample("h", at(1, 10*time.Second), 10),
	)
	wantSteps(t, got)

	got = feed(t, w, sample("h", at(4, 0), 40)) // watermark 10:02:00
	wantSteps(t, got, step(at(0, 0), 0, 1), step(at(1, 0), 10, 1))
	if !slices.Equal(got[1].Values, []float64{0, 10}) {
		t.Errorf("window of step 1: %v, want [0 10]", got[1].Values)
	}

	got = w.FlushAll(nil)
	wantSteps(t, got, step(at(2, 0), 20, 1), step(at(3, 0), 30, 0), step(at(4, 0), 40, 1))
	if want := []float64{0, 10, 20, 30}; !slices.Equal(got[1].Values, want) || !got[1].Ready {
		t.Errorf("window of filled step 3: %v ready %v, want %v ready", got[1].Values, got[1].Ready, want)
	}
}

// A host's first sample opens every step its lateness still covers, and the
// steps before the first one with samples are not a gap.
func TestAllowedLatenessNewHostAcceptsEarlierSamples(t *testing.T) {
	w := newWindower(t, Config{AllowedLateness: 5 * time.Minute})

	got := feed(t, w,
		sample("h", at(5, 0), 50),
		sample("h", at(0, 30*time.Second), 0),
		sample("h", at(10, 0), 100),
	)
	wantSteps(t, got, step(at(0, 0), 0, 1))
	if got[0].Reason != "have 1 of 24 steps" {
		t.Errorf("first step: reason %q, want have 1 of 24 steps", got[0].Reason)
	}
}

func TestAllowedLatenessLongJumpResetsTheWindow(t *testing.T) {
	w := newWindower(t, Config{AllowedLateness: 2 * time.Minute})

	got := feed(t, w, sample("h", at(0, 0), 1), sample("h", at(120, 0), 2))
	wantSteps(t, got, step(at(0, 0), 1, 1))

	got = w.Flush("h", nil)
	wantSteps(t, got, step(at(120, 0), 2, 1))
	want := "gap of 119 steps at 2026-12-03T10:01:00Z; need 24 steps, have 1"
	if len(got) == 1 && got[0].Reason != want {
		t.Errorf("after the jump: reason %q, want %q", got[0].Reason, want)
	}
}

// Regression: with lateness, one Add can close several steps with samples,
// each with a filled gap before it. Making room in the buffer before each
// of them moved it under the windows handed out earlier in the same call.
// Every buffer position is tried, and each window is checked only after the
// Add returned, against the reference model.
func TestSeveralStepsClosedByOneAddKeepTheirWindows(t *testing.T) {
	cfg := Config{Size: 4, MaxGapSteps: 2, AllowedLateness: 4 * time.Minute}

	for prefix := 1; prefix < 16; prefix++ {
		var in []schemas.Sample
		for n := range prefix {
			in = append(in, sample("h", at(n, 0), float64(n)))
		}
		// A gap of 2 (filled), then steps p+3, p+4 (open), then a jump that
		// closes all of them in one Add.
		in = append(in,
			sample("h", at(prefix+2, 0), 50),
			sample("h", at(prefix+3, 0), 60),
			sample("h", at(prefix+4, 0), 70),
			sample("h", at(prefix+9, 0), 0),
		)

		w := newWindower(t, cfg)
		feed(t, w, in[:len(in)-1]...)
		last, err := w.Add(in[len(in)-1], nil)
		if err != nil {
			t.Fatal(err)
		}

		want, _ := reference(cfg, in)
		tail := want[len(want)-1-len(last) : len(want)-1] // the reference also flushed the last step
		if err := sameClosed(last, tail); err != nil {
			t.Errorf("prefix %d: %v", prefix, err)
		}
	}
}
