package anomaly

import "testing"

// TestEventPersist checks that with Persist 3 an event opens on the third
// anomalous window in a row, not before, and that a break resets the run.
func TestEventPersist(t *testing.T) {
	var e event
	steps := []struct {
		anomalous       bool
		report, pending bool
	}{
		{true, false, true},
		{true, false, true},
		{false, false, false}, // the run starts over
		{true, false, true},
		{true, false, true},
		{true, true, false},  // third in a row: reported
		{true, false, false}, // inside the open event
	}
	for i, s := range steps {
		report, pending := e.step(s.anomalous, !s.anomalous, KindSpike, 72, 3)
		if report != s.report || pending != s.pending {
			t.Fatalf("window %d: report %v pending %v, want %v %v", i, report, pending, s.report, s.pending)
		}
	}
}

// TestEventRearm checks that windows that are not calm (not anomalous but
// scored at Rearm or above) neither end an event nor count towards its
// cooldown, so the next anomaly stays inside it.
func TestEventRearm(t *testing.T) {
	var e event
	if r, _ := e.step(true, false, KindSpike, 2, 1); !r {
		t.Fatal("first anomalous window not reported")
	}
	for i := range 10 {
		if r, _ := e.step(false, false, "", 2, 1); r {
			t.Fatalf("restless window %d reported", i)
		}
	}
	if r, _ := e.step(true, false, KindSpike, 2, 1); r {
		t.Fatal("anomaly after restless windows reported; want it inside the open event")
	}
	for range 3 {
		e.step(false, true, "", 2, 1)
	}
	if r, _ := e.step(true, false, KindSpike, 2, 1); !r {
		t.Fatal("anomaly after three calm windows (cooldown 2) not reported")
	}
}
