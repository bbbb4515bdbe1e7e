package decision

import (
	"fmt"
	"testing"

	"github.com/scalora/scalora/schemas"
)

// BenchmarkObserve feeds 1,000 hosts in 10 groups, step after step, with
// 12-step forecasts: one op is one host's forecast; one op in 100 closes a
// group's step and emits its decision.
func BenchmarkObserve(b *testing.B) {
	d, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}

	const hosts, groups = 1000, 10
	fcs := make([]schemas.Forecast, hosts)
	for h := range fcs {
		fcs[h] = schemas.Forecast{
			Host: fmt.Sprintf("host-%d", h), Group: fmt.Sprintf("group-%d", h%groups),
			StepSeconds: 60, Values: flat(float64(20+h%60), 12), Model: "lstm-v1", Ready: true,
		}
	}

	b.ReportAllocs()
	decisions := 0
	i := 0
	for b.Loop() {
		f := fcs[i%hosts]
		f.Time = at(i / hosts)
		decisions += len(d.Observe(f, f.Values[0]))
		i++
	}
	b.ReportMetric(float64(decisions)/float64(b.N), "decisions/op")
}

// BenchmarkDecideStep decides one step per op: one host in one group, with
// 12-step forecasts and demand that the forecast sometimes misses, so the
// reserve for forecast misses is recorded and looked up at every step.
// Allocations per op are those of the decision returned (its slice and
// its reason).
func BenchmarkDecideStep(b *testing.B) {
	d, err := New(Config{WaitSteps: -1})
	if err != nil {
		b.Fatal(err)
	}
	f := schemas.Forecast{Host: "h", Group: "g", StepSeconds: 60, Values: flat(40, 12), Model: "lstm-v1", Ready: true}

	b.ReportAllocs()
	i := 0
	for b.Loop() {
		f.Time = at(i)
		d.Observe(f, float64(20+(i*37)%70))
		i++
	}
}
