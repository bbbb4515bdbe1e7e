package window

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas"
)

// base is the start of step 0 in the tests (1-minute steps unless a test
// says otherwise).
var base = time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)

// at is the time within past the start of 1-minute step n from base.
func at(n int, within time.Duration) time.Time {
	return base.Add(time.Duration(n)*time.Minute + within)
}

// sample is a sample of host in group "web".
func sample(host string, t time.Time, cpu float64) schemas.Sample {
	return schemas.Sample{Version: schemas.SampleVersion, Host: host, Group: "web", Time: t, CPU: cpu}
}

// newWindower returns a Windower for cfg or fails the test.
func newWindower(t testing.TB, cfg Config) *Windower {
	t.Helper()
	w, err := New(cfg)
	if err != nil {
		t.Fatalf("New(%+v): %v", cfg, err)
	}
	return w
}

// feed adds samples in order, failing the test on any error, and returns
// what they closed with Values copied (they alias the windower's buffer).
func feed(t testing.TB, w *Windower, samples ...schemas.Sample) []Closed {
	t.Helper()
	var out []Closed
	for i, s := range samples {
		n := len(out)
		var err error
		out, err = w.Add(s, out)
		if err != nil {
			t.Fatalf("Add sample %d (%s at %s): %v", i, s.Host, s.Time.Format(time.RFC3339Nano), err)
		}
		cloneValues(out[n:])
	}
	return out
}

// cloneValues gives each Closed its own copy of Values.
func cloneValues(cs []Closed) {
	for i := range cs {
		cs[i].Values = slices.Clone(cs[i].Values)
	}
}

// stepLine renders a step for comparison and failure messages.
func stepLine(s schemas.Step) string {
	return fmt.Sprintf("%s %s %s cpu=%g samples=%d filled=%v",
		s.Host, s.Group, s.Time.Format(time.RFC3339Nano), s.CPU, s.Samples, s.Filled)
}

// wantSteps fails the test unless got's steps are want, in order.
func wantSteps(t testing.TB, got []Closed, want ...schemas.Step) {
	t.Helper()
	var g, wl []string
	for _, c := range got {
		g = append(g, stepLine(c.Step))
		if c.Step.Time.Location() != time.UTC {
			t.Errorf("step %s is in %v, want UTC", stepLine(c.Step), c.Step.Time.Location())
		}
	}
	for _, s := range want {
		wl = append(wl, stepLine(s))
	}
	if !slices.Equal(g, wl) {
		t.Errorf("closed steps:\n got %q\nwant %q", g, wl)
	}
}

// step is the expected step of host "h" in group "web".
func step(t time.Time, cpu float64, samples int) schemas.Step {
	return schemas.Step{
		Host: "h", Group: "web", Time: t, CPU: cpu, Samples: samples, Filled: samples == 0,
	}
}
