package agent

import (
	"fmt"
	"io/fs"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

func mustRead(t *testing.T, fsys fs.FS, name string) Stat {
	t.Helper()
	sub := fstest.MapFS{}
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		t.Fatal(err)
	}
	sub["stat"] = &fstest.MapFile{Data: data}
	st, err := ReadProcStat(sub)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// seqFS serves a different /proc/stat at each Open: snapshot i at the
// i-th reading, the last one from then on.
type seqFS struct {
	mu    sync.Mutex
	snaps []string
	n     int
}

func (s *seqFS) Open(name string) (fs.File, error) {
	s.mu.Lock()
	snap := s.snaps[min(s.n, len(s.snaps)-1)]
	s.n++
	s.mu.Unlock()
	return fstest.MapFS{"stat": {Data: []byte(snap)}}.Open(name)
}

// busySnaps returns cumulative snapshots whose successive percents are
// pcts, 1000 jiffies per interval on 2 cores.
func busySnaps(pcts ...int) *seqFS {
	var busy, idle int
	snaps := []string{stat(busy, idle)}
	for _, p := range pcts {
		busy += p * 10
		idle += (100 - p) * 10
		snaps = append(snaps, stat(busy, idle))
	}
	return &seqFS{snaps: snaps}
}

func stat(busy, idle int) string {
	return fmt.Sprintf("cpu  %d 0 0 %d 0 0 0 0 0 0\ncpu0 0 0 0 0\ncpu1 0 0 0 0\n", busy, idle)
}

// waitFor polls cond for up to 10s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// value reads a counter or gauge without the testutil package.
func value(m prometheus.Metric) float64 {
	var d dto.Metric
	if err := m.Write(&d); err != nil {
		panic(err)
	}
	if d.Counter != nil {
		return d.Counter.GetValue()
	}
	return d.Gauge.GetValue()
}
