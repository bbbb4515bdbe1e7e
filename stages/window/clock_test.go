package window

import (
	"testing"
	"time"
)

// fakeClock is a Clock the test moves by hand.
type fakeClock struct{ now time.Time }

func (c *fakeClock) Now() time.Time { return c.now }

// TestBoundariesAndIdleCloseWithAnInjectedClock steps an injected clock
// across the idle timeout, with samples exactly on a step boundary and one
// nanosecond before it.
func TestBoundariesAndIdleCloseWithAnInjectedClock(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)}
	w := newWindower(t, Config{IdleTimeout: 90 * time.Second, Clock: clock})

	// One nanosecond before the end of step 0 is in step 0; exactly on the
	// boundary is in step 1, and closes step 0.
	feed(t, w, sample("a", at(1, -time.Nanosecond), 10))
	got := feed(t, w, sample("a", at(1, 0), 30))
	if len(got) != 1 || !got[0].Step.Time.Equal(at(0, 0)) || got[0].Step.CPU != 10 {
		t.Fatalf("the boundary sample closed %+v, want step 0 holding only the sample 1ns before it", got)
	}

	// Step 1 stays open while the host is not idle by the clock.
	clock.now = clock.now.Add(90*time.Second - time.Nanosecond)
	if got := w.CloseIdle(nil); len(got) != 0 {
		t.Fatalf("1ns before the idle timeout CloseIdle closed %+v", got)
	}
	clock.now = clock.now.Add(time.Nanosecond)
	got = w.CloseIdle(nil)
	if len(got) != 1 || !got[0].Step.Time.Equal(at(1, 0)) || got[0].Step.CPU != 30 {
		t.Fatalf("at the idle timeout CloseIdle closed %+v, want step 1 (30)", got)
	}

	// Nothing open any more; a sample for the closed step is late, one for
	// the next step opens it.
	if got := w.CloseIdle(nil); len(got) != 0 {
		t.Fatalf("a second CloseIdle closed %+v", got)
	}
	if _, err := w.Add(sample("a", at(2, -time.Nanosecond), 1), nil); err == nil {
		t.Fatal("a sample for a step closed as idle was accepted")
	}
	feed(t, w, sample("a", at(2, 0), 5))
}

// TestCloseIdleIsOffByDefault: without an IdleTimeout nothing closes by
// the clock, however much time passes.
func TestCloseIdleIsOffByDefault(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)}
	w := newWindower(t, Config{Clock: clock})
	feed(t, w, sample("a", at(0, 0), 10))
	clock.now = clock.now.Add(24 * time.Hour)
	if got := w.CloseIdle(nil); len(got) != 0 {
		t.Fatalf("CloseIdle without a timeout closed %+v", got)
	}
}
