package window

import (
	"errors"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas"
)

// shuffledStream is hosts' samples, two a step, with times jittered inside
// each step and a few swapped out of order within the allowed lateness;
// Seq counts from 1 in stream order.
func shuffledStream(hosts, steps int, seed uint64) []schemas.Sample {
	r := rand.New(rand.NewPCG(seed, 1))
	var out []schemas.Sample
	for n := range steps {
		for h := range hosts {
			for range 2 {
				t := at(n, time.Duration(r.IntN(60_000))*time.Millisecond)
				if r.IntN(30) == 0 {
					continue // a missing sample now and then, so gaps occur
				}
				out = append(out, sample("h"+string(rune('a'+h)), t, float64(r.IntN(100))))
			}
		}
	}
	// Swap neighbours: less than one step out of order.
	for i := 1; i < len(out); i += 7 {
		out[i-1], out[i] = out[i], out[i-1]
	}
	for i := range out {
		out[i].Seq = int64(i + 1)
	}
	return out
}

// addAll adds samples, keeping what closed (values copied) and counting the
// errors by kind.
func addAll(t *testing.T, w *Windower, samples []schemas.Sample) (closed []Closed, errs map[string]int) {
	t.Helper()
	errs = map[string]int{}
	for _, s := range samples {
		n := len(closed)
		var err error
		closed, err = w.Add(s, closed)
		switch {
		case err == nil:
		case errors.Is(err, ErrReplayed):
			errs["replayed"]++
		case errors.Is(err, ErrDuplicate):
			errs["duplicate"]++
		default:
			var se *schemas.SampleError
			if !errors.As(err, &se) {
				t.Fatalf("Add: unexpected error %v", err)
			}
			errs[se.Reason]++
		}
		cloneValues(closed[n:])
	}
	return closed, errs
}

// TestRestoreResumesAsIfNeverStopped: a windower restored from a snapshot
// taken mid-stream, given the whole stream again from an earlier point (a
// replay after a crash), closes exactly the steps that one that never
// stopped closes, and skips every sample its state already held.
func TestRestoreResumesAsIfNeverStopped(t *testing.T) {
	cfg := Config{Step: time.Minute, Size: 24, AllowedLateness: time.Minute}
	stream := shuffledStream(5, 80, 7)

	for _, cut := range []int{1, 37, 211, len(stream) / 2, len(stream) - 3} {
		whole := newWindower(t, cfg)
		want, wantErrs := addAll(t, whole, stream)

		first := newWindower(t, cfg)
		before, errs := addAll(t, first, stream[:cut])
		states := first.SnapshotDirty("samples", nil)

		restored := newWindower(t, cfg)
		for _, hs := range states {
			if err := restored.Restore(hs); err != nil {
				t.Fatalf("cut %d: Restore: %v", cut, err)
			}
		}

		// The consumer resumes at a committed offset before the cut.
		from := max(0, cut-25)
		after, errsAfter := addAll(t, restored, stream[from:])
		if errsAfter["replayed"] != cut-from {
			t.Errorf("cut %d: %d samples skipped as replayed, want %d", cut, errsAfter["replayed"], cut-from)
		}
		got := append(before, after...)
		if !slices.EqualFunc(got, want, closedEqual) {
			t.Fatalf("cut %d: restored windower closed %d steps, one that never stopped %d; first difference:\n%s",
				cut, len(got), len(want), firstDifference(got, want))
		}
		delete(errsAfter, "replayed")
		for k, v := range errsAfter {
			errs[k] += v
		}
		if !maps.Equal(errs, wantErrs) {
			t.Errorf("cut %d: rejections %v, want %v", cut, errs, wantErrs)
		}
	}
}

func closedEqual(a, b Closed) bool {
	return a.Step == b.Step && a.Ready == b.Ready && a.Reason == b.Reason && slices.Equal(a.Values, b.Values)
}

func firstDifference(got, want []Closed) string {
	for i := range min(len(got), len(want)) {
		if !closedEqual(got[i], want[i]) {
			return "got  " + stepLine(got[i].Step) + "\nwant " + stepLine(want[i].Step)
		}
	}
	return "one is a prefix of the other"
}

// TestSnapshotDirtyListsOnlyChangedHosts: a second snapshot holds only the
// hosts that changed since the first.
func TestSnapshotDirtyListsOnlyChangedHosts(t *testing.T) {
	w := newWindower(t, Config{})
	feed(t, w, sample("a", at(0, 0), 1), sample("b", at(0, 0), 2))
	if got := w.SnapshotDirty("s", nil); len(got) != 2 {
		t.Fatalf("first snapshot has %d hosts, want 2", len(got))
	}
	feed(t, w, sample("b", at(1, 0), 3))
	got := w.SnapshotDirty("s", nil)
	if len(got) != 1 || got[0].Host != "b" || got[0].Source != "s" {
		t.Fatalf("second snapshot = %+v, want only host b from source s", got)
	}
	if got := w.SnapshotDirty("s", nil); len(got) != 0 {
		t.Fatalf("third snapshot has %d hosts, want none", len(got))
	}
}

// TestRestoreRejectsUnusableState: each broken state is refused with
// ErrState and leaves the host alone.
func TestRestoreRejectsUnusableState(t *testing.T) {
	w := newWindower(t, Config{})
	feed(t, w, sample("a", at(0, 0), 1), sample("a", at(1, 0), 2))
	good := w.SnapshotDirty("s", nil)[0]

	breaks := map[string]func(*schemas.HostState){
		"other step":      func(h *schemas.HostState) { h.Step = 5 * time.Minute },
		"other size":      func(h *schemas.HostState) { h.Size = 12 },
		"long window":     func(h *schemas.HostState) { h.Window = make([]float64, 25) },
		"next off grid":   func(h *schemas.HostState) { h.Next = h.Next.Add(time.Second) },
		"NaN value":       func(h *schemas.HostState) { h.Window = []float64{1, math.NaN()} },
		"open mismatch":   func(h *schemas.HostState) { h.OpenCounts = nil },
		"open before":     func(h *schemas.HostState) { h.OpenStarts[0] = h.Next.Add(-time.Minute) },
		"open too far":    func(h *schemas.HostState) { h.OpenStarts[0] = h.Next.Add(time.Hour) },
		"empty host":      func(h *schemas.HostState) { h.Host = "" },
		"zero open count": func(h *schemas.HostState) { h.OpenCounts[0] = 0 },
	}
	for name, brk := range breaks {
		hs := good
		hs.Window = slices.Clone(good.Window)
		hs.OpenStarts = slices.Clone(good.OpenStarts)
		hs.OpenValues = slices.Clone(good.OpenValues)
		hs.OpenCounts = slices.Clone(good.OpenCounts)
		brk(&hs)
		if err := w.Restore(hs); !errors.Is(err, ErrState) {
			t.Errorf("%s: Restore = %v, want ErrState", name, err)
		}
	}

	// The host still works from its own state: step 1 closes on step 2.
	got := feed(t, w, sample("a", at(2, 0), 3))
	if len(got) != 1 || !got[0].Step.Time.Equal(at(1, 0)) {
		t.Fatalf("after refused restores, closed %v, want step 1", got)
	}
}

// TestDuplicateSampleIsDroppedAndCounted: the same reading twice counts
// once, and is not late.
func TestDuplicateSampleIsDroppedAndCounted(t *testing.T) {
	w := newWindower(t, Config{AllowedLateness: time.Minute})
	s := sample("a", at(0, 10*time.Second), 40)
	feed(t, w, s, sample("a", at(0, 20*time.Second), 60))

	if _, err := w.Add(s, nil); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("second copy: err = %v, want ErrDuplicate", err)
	}
	got := feed(t, w, sample("a", at(2, 0), 0))
	if len(got) != 1 || got[0].Step.CPU != 50 || got[0].Step.Samples != 2 {
		t.Fatalf("closed %+v, want step 0 with mean 50 of 2 samples", got)
	}
	if w.Duplicates() != 1 || w.Late() != 0 {
		t.Errorf("Duplicates = %d, Late = %d; want 1 and 0", w.Duplicates(), w.Late())
	}
}

// TestReplayedSampleIsSkipped: a sample whose Seq was applied is skipped
// and counted; Seq 0 (no source order) is never a replay.
func TestReplayedSampleIsSkipped(t *testing.T) {
	w := newWindower(t, Config{})
	s := sample("a", at(0, 0), 40)
	s.Seq = 5
	feed(t, w, s)

	again := sample("a", at(0, time.Second), 40)
	again.Seq = 5
	if _, err := w.Add(again, nil); !errors.Is(err, ErrReplayed) {
		t.Fatalf("replayed seq: err = %v, want ErrReplayed", err)
	}
	feed(t, w, sample("a", at(0, 2*time.Second), 40)) // Seq 0
	if w.Replayed() != 1 {
		t.Errorf("Replayed = %d, want 1", w.Replayed())
	}
}
