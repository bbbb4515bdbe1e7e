package app

import (
	"log/slog"
	"math"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"testing"
	"time"

	"github.com/scalora/scalora/pipeline"
	"github.com/scalora/scalora/pipeline/store"
	"github.com/scalora/scalora/schemas"
)

// BenchmarkMemoryPerHost runs hosts (in 20 groups, over 4 partitions)
// through the whole default chain for 120 steps, which takes every stage
// past its warm-up (a full window after 24 steps, the anomaly stage's first
// fit after 64 more), and measures the heap the chain keeps: window,
// forecast, anomaly, decision and live status together. It does so for
// 1,000 and for 2,000 hosts and reports the difference per added host
// (B/host: what each further host costs, which is what a million hosts
// multiply) and the whole heap over 2,000 hosts (B/host@2000, where the
// groups' forests are still shared by few hosts). A million hosts fed to
// steady state would take hours, which is why it is not run at that size.
// One iteration takes about a minute.
func BenchmarkMemoryPerHost(b *testing.B) {
	for range b.N {
		small := chainHeap(b, 1000)
		large := chainHeap(b, 2000)
		b.ReportMetric(float64(large-small)/1000, "B/host")
		b.ReportMetric(float64(large)/2000, "B/host@2000")
	}
}

// chainHeap builds the default chain, feeds hosts through it and returns
// the heap it holds.
func chainHeap(b *testing.B, hosts int) int64 {
	const (
		groups     = 20
		partitions = 4
		steps      = 120
	)
	var c Config
	c.SetDefaults()
	cat, err := loadCatalog("")
	if err != nil {
		b.Fatal(err)
	}

	before := heapInUse()
	stages, err := buildStages(c, cat, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	proc, err := pipeline.NewProcessor(stages, pipeline.NewLive(), nil)
	if err != nil {
		b.Fatal(err)
	}

	start := time.Now().Add(-steps * time.Minute).Truncate(time.Minute)
	var out store.Batch
	for n := range steps {
		for h := range hosts {
			s := schemas.Sample{
				Version: 1, Host: "mem-host-" + strconv.Itoa(h), Group: "g" + strconv.Itoa(h%groups),
				Time: start.Add(time.Duration(n) * time.Minute), Partition: int32(h % partitions),
				CPU: 30 + 20*math.Sin(float64(n+h)/9),
			}
			if err := proc.Process(s, &out); err != nil {
				b.Fatal(err)
			}
			out.Reset()
		}
	}

	held := heapInUse() - before
	writeHeapProfile(b)
	runtime.KeepAlive(proc)
	return held
}

// writeHeapProfile writes the live heap to $SCALORA_HEAP_PROFILE, if set,
// while the chain is still alive: "go tool pprof -sample_index=inuse_space"
// then shows which stage holds the bytes.
func writeHeapProfile(b *testing.B) {
	path := os.Getenv("SCALORA_HEAP_PROFILE")
	if path == "" {
		return
	}
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		b.Fatal(err)
	}
}

// heapInUse is the live heap after a full collection.
func heapInUse() int64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}
