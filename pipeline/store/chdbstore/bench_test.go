package chdbstore

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/scalora/scalora/pipeline/store"
	"github.com/scalora/scalora/schemas"
)

// benchBatch is one pipeline flush: 1000 host steps, each with a 12-step
// forecast (12000 forecast rows).
func benchBatch(round int) *store.Batch {
	b := &store.Batch{}
	ts := time.Now().UTC().Truncate(time.Minute).Add(time.Duration(round) * time.Minute)
	for h := 0; h < 1000; h++ {
		host := fmt.Sprintf("ip-10-0-%d-%d.ec2.internal", h/250, h%250)
		b.Steps = append(b.Steps, schemas.Step{Host: host, Group: "web", Time: ts, CPU: 37.5 + float64(h%17), Samples: 5})

		vals := make([]float64, 12)
		for k := range vals {
			vals[k] = 40.123456789 + float64(k)
		}
		b.Forecasts = append(b.Forecasts, schemas.Forecast{
			Host: host, Group: "web", Time: ts, StepSeconds: 60, Values: vals, Model: "lstm-v1", Ready: true,
		})
	}
	return b
}

// BenchmarkWriteBatch measures Write of one flush to chDB on disk; each
// iteration writes new keys (next minute).
func BenchmarkWriteBatch(b *testing.B) {
	requireChDB(b)
	ctx := context.Background()
	s := openFresh(b, b.TempDir())
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}

	batches := make([]*store.Batch, 8)
	for i := range batches {
		batches[i] = benchBatch(i)
	}
	rows := batches[0].Len() + 11*len(batches[0].Forecasts) // forecasts flatten to 12 rows

	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.Write(ctx, batches[i%len(batches)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkEncodeBatch measures building the INSERT payloads of one flush,
// without chDB.
func BenchmarkEncodeBatch(b *testing.B) {
	batch := benchBatch(0)
	buf := make([]byte, 0, 2<<20)
	var n int

	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var out [len(tables)][]byte
		buf, out = encodeBatch(buf[:0], "`scalora`", batch)
		n = len(out[0]) + len(out[1])
	}
	b.SetBytes(int64(n))
}

// BenchmarkWriteOneStep measures the fixed cost of one INSERT on chDB.
func BenchmarkWriteOneStep(b *testing.B) {
	requireChDB(b)
	ctx := context.Background()
	s := openFresh(b, b.TempDir())
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	base := time.Now().UTC().Truncate(time.Hour)

	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		step := schemas.Step{Host: "h", Group: "g", Time: base.Add(time.Duration(i) * time.Second), CPU: 1}
		if err := s.Write(ctx, &store.Batch{Steps: []schemas.Step{step}}); err != nil {
			b.Fatal(err)
		}
	}
}
