package anomaly

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/stages/window"
)

// windowSize is the window length the pipeline uses (24 steps).
const windowSize = 24

var t0 = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)

// dailySeries is a synthetic host: a daily cycle (288 steps of 5 minutes)
// between about 20 and 60 % CPU, plus Gaussian noise of sd 3, clipped to
// [0, 100]. Seeded, so every run sees the same series.
func dailySeries(n int, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 1))
	s := make([]float64, n)
	for i := range s {
		v := 40 + 20*math.Sin(2*math.Pi*float64(i)/288) + 3*rng.NormFloat64()
		s[i] = min(100, max(0, v))
	}
	return s
}

// closedAt is the window that closes at step i of series, ready when a full
// window of history exists. Values aliases series, as the windower's do.
func closedAt(host string, series []float64, i int) window.Closed {
	lo := max(0, i-windowSize+1)
	c := window.Closed{
		Step:   schemas.Step{Host: host, Group: "g", Time: t0.Add(time.Duration(i) * 5 * time.Minute), CPU: series[i]},
		Values: series[lo : i+1],
		Ready:  i+1 >= windowSize,
	}
	if !c.Ready {
		c.Reason = "history 3 of 24 steps"
	}
	return c
}

// run scores every window of series with d and returns the records.
func run(d *Detector, host string, series []float64) []schemas.Anomaly {
	out := make([]schemas.Anomaly, len(series))
	for i := range series {
		out[i] = d.Score(closedAt(host, series, i))
	}
	return out
}

func newDetector(t testing.TB, cfg Config) *Detector {
	t.Helper()
	d, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return d
}
