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
		{Time: t0.Add(22 * time.Minute), CPU: 6}, // after the last step's start: dropped
	}}
	got := AlignTrace(s, 5*time.Minute)
	want := []float64{1, 2, 2, 2, 5}
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
