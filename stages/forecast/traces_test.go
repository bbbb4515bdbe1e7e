package forecast

import (
	"testing"
	"time"

	"github.com/scalora/scalora/schemas/trace"
)

func TestAlignTraceRepeatsValueOverGap(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := &trace.Series{Points: []trace.Point{
		{Time: t0, CPU: 1},
		{Time: t0.Add(5 * time.Minute), CPU: 2},
		{Time: t0.Add(20 * time.Minute), CPU: 5}, // two steps missing
		{Time: t0.Add(22 * time.Minute), CPU: 6}, // nearest to the same step: the last wins
	}}
	got := AlignTrace(s, 5*time.Minute)
	want := []float64{1, 2, 2, 2, 6}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

// TestAlignTraceJitterDoesNotShiftSteps pins the Bitbrains case: readings
// a few seconds late must land on their own step, not repeat the previous.
func TestAlignTraceJitterDoesNotShiftSteps(t *testing.T) {
	t0 := time.Date(2013, 7, 1, 0, 0, 0, 0, time.UTC)
	s := &trace.Series{Points: []trace.Point{
		{Time: t0, CPU: 1},
		{Time: t0.Add(5*time.Minute + 3*time.Second), CPU: 2},
		{Time: t0.Add(10*time.Minute - 2*time.Second), CPU: 3},
		{Time: t0.Add(15*time.Minute + 9*time.Second), CPU: 4},
	}}
	got := AlignTrace(s, 5*time.Minute)
	want := []float64{1, 2, 3, 4}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

func TestBundledTracesAreAllThere(t *testing.T) {
	ts, err := BundledTraces()
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 7 {
		t.Fatalf("%d bundled traces, want 7", len(ts))
	}
	for _, s := range ts {
		if len(s.Points) < 4000 {
			t.Errorf("%s has %d points", s.Name, len(s.Points))
		}
	}
}
