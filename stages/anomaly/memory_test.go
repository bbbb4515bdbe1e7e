package anomaly

import (
	"runtime"
	"strconv"
	"testing"
	"unsafe"
)

// TestHostMetaSize keeps the per-host state at the size the package doc
// and hostMeta's comment give: a host of a million costs this much plus
// its map entry and name (BenchmarkBytesPerHost measures the lot).
func TestHostMetaSize(t *testing.T) {
	if got := unsafe.Sizeof(hostMeta{}); got != 64 {
		t.Errorf("hostMeta is %d bytes, the docs say 64", got)
	}
}

// BenchmarkBytesPerHost measures the heap a Detector holds per host: one
// op brings in a new host (one forecast observed, one window scored), and
// the heap growth over all ops is reported as B/host. In ScopeGroup every
// host joins one fitted group, whose history and forest (reported once,
// as group_B) are not counted per host. ScopeHost hosts each fill a
// history and fit a forest first, which is why that case runs few hosts.
func BenchmarkBytesPerHost(b *testing.B) {
	series := dailySeries(288*4, 4)
	b.Run("scope=group", func(b *testing.B) {
		d := newDetector(b, Config{Scope: ScopeGroup})
		before := heapInUse()
		run(d, "warm", series[:200]) // fits the group's forest
		group := heapInUse() - before

		i := 0
		before = heapInUse()
		for b.Loop() {
			host := "host-" + strconv.Itoa(i)
			d.ObserveForecast(forecastOf(host, 199, series[200]))
			d.Score(closedAt(host, series, 200))
			i++
		}
		b.StopTimer()
		b.ReportMetric(float64(heapInUse()-before)/float64(i), "B/host")
		b.ReportMetric(float64(group), "group_B")
		runtime.KeepAlive(d)
	})
	b.Run("scope=host", func(b *testing.B) {
		d := newDetector(b, Config{Scope: ScopeHost})
		i := 0
		before := heapInUse()
		for b.Loop() {
			host := "host-" + strconv.Itoa(i)
			run(d, host, series[:DefaultHistorySize+100])
			i++
		}
		b.StopTimer()
		b.ReportMetric(float64(heapInUse()-before)/float64(i), "B/host")
		runtime.KeepAlive(d)
	})
}

// heapInUse is the live heap after a full collection.
func heapInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}
