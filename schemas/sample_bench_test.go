package schemas

import "testing"

// BenchmarkDecodeSample decodes and validates one typical sample.
func BenchmarkDecodeSample(b *testing.B) {
	payload := []byte(`{"v":1,"host":"web-17","group":"web","ts":"2026-12-03T10:05:00Z","cpu":37.5,"cores":4}`)
	lim := DefaultLimits()
	lim.MaxPast, lim.MaxFuture = 0, 0

	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeSample(payload, lim); err != nil {
			b.Fatal(err)
		}
	}
}
