package window

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas"
)

// BenchmarkAdd adds samples to hosts round-robin, all with full windows
// (the steady state), with a reused dst. perStep is how many samples each
// host sends per step: 1 closes a step on every Add, 4 on one Add in 4.
// 10,000 hosts (about 5 MB of state) do not fit in the CPU caches; 100 do.
// With lateness, each step closes two steps after its samples arrived.
func BenchmarkAdd(b *testing.B) {
	cases := []struct {
		hosts, perStep int
		lateness       time.Duration
	}{
		{10_000, 1, 0},
		{10_000, 4, 0},
		{100, 1, 0},
		{10_000, 1, 2 * time.Minute},
	}
	for _, bc := range cases {
		hosts, perStep := bc.hosts, bc.perStep
		name := fmt.Sprintf("hosts=%d/samples_per_step=%d/lateness=%v", hosts, perStep, bc.lateness)
		b.Run(name, func(b *testing.B) {
			w := newWindower(b, Config{AllowedLateness: bc.lateness})
			names := make([]string, hosts)
			for i := range names {
				names[i] = fmt.Sprintf("host-%05d.example", i)
			}

			n := 0
			next := func() schemas.Sample {
				round := n / hosts
				within := time.Duration(round%perStep) * time.Minute / time.Duration(perStep)
				t := at(round/perStep, within)
				s := schemas.Sample{Host: names[n%hosts], Group: "web", Time: t, CPU: float64(n % 97)}
				n++
				return s
			}

			dst := make([]Closed, 0, 8)
			for range hosts * perStep * (DefaultSize + 1) {
				dst, _ = w.Add(next(), dst[:0])
			}

			b.ReportAllocs()
			b.ResetTimer()
			closed := 0
			for b.Loop() {
				var err error
				dst, err = w.Add(next(), dst[:0])
				if err != nil {
					b.Fatal(err)
				}
				closed += len(dst)
			}
			b.ReportMetric(float64(closed)/float64(b.N), "closed/op")
		})
	}
}

// BenchmarkHostMemory reports the heap bytes one host costs with the
// default Size of 24: its state, value buffer, map entry and name.
func BenchmarkHostMemory(b *testing.B) {
	const hosts = 100_000
	names := make([]string, hosts)
	for i := range names {
		names[i] = fmt.Sprintf("host-%05d.example", i)
	}

	var perHost float64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)

		w := newWindower(b, Config{})
		for _, h := range names {
			if _, err := w.Add(schemas.Sample{Host: h, Group: "web", Time: base, CPU: 1}, nil); err != nil {
				b.Fatal(err)
			}
		}

		runtime.GC()
		runtime.ReadMemStats(&after)
		perHost = float64(after.HeapAlloc-before.HeapAlloc) / hosts
		runtime.KeepAlive(w)
	}
	b.ReportMetric(perHost, "B/host")
}
