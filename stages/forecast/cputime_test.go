package forecast

import (
	"runtime"
	"syscall"
	"testing"
	"time"
)

// rusageThread is Linux's RUSAGE_THREAD: the calling thread's CPU time.
const rusageThread = 1

// cpuTimer reports, next to the wall-clock ns/op, the CPU time the
// benchmark's own thread spent per op ("cpu-ns/op"). The machines this
// project is benchmarked on are shared: under load the wall clock counts
// the time other processes held the core, the thread's CPU time does not.
// It pins the goroutine to its thread for the benchmark's duration.
type cpuTimer struct {
	b     *testing.B
	start time.Duration
	ok    bool
}

func startCPUTimer(b *testing.B) *cpuTimer {
	runtime.LockOSThread()
	t := &cpuTimer{b: b}
	t.start, t.ok = threadCPU()
	return t
}

// stop reports cpu-ns per unit, ops*perOp units in all.
func (t *cpuTimer) stop(perOp int, unit string) {
	end, ok := threadCPU()
	runtime.UnlockOSThread()
	if !t.ok || !ok || t.b.N == 0 {
		return
	}
	t.b.ReportMetric(float64((end-t.start).Nanoseconds())/float64(t.b.N*perOp), "cpu-ns/"+unit)
}

func threadCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
