package simulate

import (
	"time"

	"github.com/scalora/scalora/stages/decision"
)

var t0 = time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)

// workload returns a hand-made workload of 5-minute steps from t0.
func workload(cpu ...float64) *Workload {
	return &Workload{
		Name: "hand", Start: t0, Step: 5 * time.Minute,
		CPU: cpu, Filled: make([]bool, len(cpu)),
	}
}

// group returns the default group of 10 instances with g's fields applied.
func group(g decision.GroupConfig) decision.GroupConfig {
	g.Name = "hand"
	g.CostPerHour = 0.1
	g.SetDefaults()
	return g
}

// demands returns the demand series of w for instances instances.
func demands(w *Workload, instances int) []float64 {
	out := make([]float64, w.Len())
	for i := range out {
		out[i] = w.Demand(i, instances)
	}
	return out
}
