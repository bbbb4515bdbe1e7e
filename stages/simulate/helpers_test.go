package simulate

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas/trace"
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

// readBitbrains reads a Bitbrains GWA-T-12 VM file: ';'-separated with
// tabs, a header naming "Timestamp [ms]" although the values are seconds,
// and CPU percent in the "CPU usage [%]" column. It lives in the tests
// only until schemas/trace reads the format.
func readBitbrains(t *testing.T, path string) *trace.Series {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	sc := bufio.NewScanner(f)
	col := -1
	var pts []trace.Point
	for line := 1; sc.Scan(); line++ {
		fields := strings.Split(sc.Text(), ";")
		for i := range fields {
			fields[i] = strings.TrimSpace(fields[i])
		}
		if line == 1 {
			for i, h := range fields {
				if h == "CPU usage [%]" {
					col = i
				}
			}
			if col < 0 {
				t.Fatalf("%s: no CPU usage [%%] column in %q", path, sc.Text())
			}
			continue
		}
		if len(fields) <= col {
			continue
		}
		sec, err1 := strconv.ParseInt(fields[0], 10, 64)
		cpu, err2 := strconv.ParseFloat(fields[col], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s line %d: %q", path, line, sc.Text())
		}
		pts = append(pts, trace.Point{Time: time.Unix(sec, 0).UTC(), CPU: cpu})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}

	// Sort and merge duplicate timestamps as trace.ReadNAB does.
	s, err := trace.ReadNAB(strings.NewReader(nabCSV(pts)))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	dir := filepath.Base(filepath.Dir(path))
	s.Name = "bitbrains_" + dir + "_" + strings.TrimSuffix(filepath.Base(path), ".csv")
	return s
}

// nabCSV writes points as NAB CSV, so that ReadNAB's sorting and merging
// of duplicates applies to Bitbrains readings too.
func nabCSV(pts []trace.Point) string {
	var b strings.Builder
	b.WriteString("timestamp,value\n")
	for _, p := range pts {
		b.WriteString(p.Time.Format("2006-01-02 15:04:05"))
		b.WriteByte(',')
		b.WriteString(strconv.FormatFloat(p.CPU, 'g', -1, 64))
		b.WriteByte('\n')
	}
	return b.String()
}
