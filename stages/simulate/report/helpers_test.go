package report

import (
	"math"
	"testing"
	"time"

	"github.com/scalora/scalora/stages/decision"
	"github.com/scalora/scalora/stages/simulate"
)

// testReport simulates two days of 5-minute steps: a daily wave between
// about 15 % and 75 % with a spike to 98 % on the second afternoon, on
// the default group of 10 instances.
func testReport(t *testing.T) simulate.Report {
	t.Helper()
	const steps = 576
	cpu := make([]float64, steps)
	for i := range cpu {
		cpu[i] = 45 + 30*math.Sin(2*math.Pi*float64(i)/288)
	}
	for i := 460; i < 466; i++ {
		cpu[i] = 98
	}

	w := &simulate.Workload{
		Name:   "wave</script><b>",
		Start:  time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC),
		Step:   5 * time.Minute,
		CPU:    cpu,
		Filled: make([]bool, steps),
	}
	g := decision.GroupConfig{CostPerHour: 0.1}
	res, err := simulate.Run(w, simulate.Config{Group: g})
	if err != nil {
		t.Fatal(err)
	}
	return res.Report()
}
