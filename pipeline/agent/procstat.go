package agent

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
)

// CPUTimes is the aggregate "cpu" line of /proc/stat reduced to what the
// percent needs, in jiffies since boot.
type CPUTimes struct {
	// Idle is the idle plus iowait columns.
	Idle uint64
	// Total is the sum of the first eight columns (user to steal).
	Total uint64
}

// Stat is one reading of /proc/stat.
type Stat struct {
	CPU   CPUTimes
	Cores int // number of "cpuN" lines
}

// ReadProcStat reads "stat" from fsys, which is the proc root
// (os.DirFS("/proc") on a host; a fixture directory in tests).
func ReadProcStat(fsys fs.FS) (Stat, error) {
	f, err := fsys.Open("stat")
	if err != nil {
		return Stat{}, fmt.Errorf("read /proc/stat: %w", err)
	}
	defer f.Close()

	return ParseProcStat(f)
}

// ParseProcStat parses the contents of /proc/stat. It needs the aggregate
// "cpu" line with at least the four columns every kernel since 2.4 has
// (user nice system idle); missing later columns count as zero.
func ParseProcStat(r io.Reader) (Stat, error) {
	var st Stat
	found := false
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || !strings.HasPrefix(fields[0], "cpu") {
			continue
		}

		if fields[0] != "cpu" {
			if _, err := strconv.Atoi(fields[0][3:]); err == nil {
				st.Cores++
			}
			continue
		}

		t, err := parseCPULine(fields[1:])
		if err != nil {
			return Stat{}, fmt.Errorf("%w: line %d: %w", ErrMalformedStat, line, err)
		}
		st.CPU, found = t, true
	}
	if err := sc.Err(); err != nil {
		return Stat{}, fmt.Errorf("read /proc/stat: %w", err)
	}

	if !found {
		return Stat{}, fmt.Errorf("%w: no aggregate \"cpu\" line", ErrMalformedStat)
	}
	if st.Cores == 0 {
		return Stat{}, fmt.Errorf("%w: no \"cpuN\" lines", ErrMalformedStat)
	}
	return st, nil
}

// parseCPULine sums the columns of the aggregate line.
func parseCPULine(cols []string) (CPUTimes, error) {
	if len(cols) < 4 {
		return CPUTimes{}, fmt.Errorf("%d columns, want at least 4", len(cols))
	}

	var t CPUTimes
	for i, c := range cols[:min(len(cols), 8)] {
		v, err := strconv.ParseUint(c, 10, 64)
		if err != nil {
			return CPUTimes{}, fmt.Errorf("column %d %q: not a counter", i+1, c)
		}
		if t.Total+v < t.Total {
			return CPUTimes{}, fmt.Errorf("column %d: the sum of the counters overflows", i+1)
		}
		t.Total += v
		if i == 3 || i == 4 { // idle, iowait
			t.Idle += v
		}
	}
	return t, nil
}

// Percent is the CPU percent used between two readings: 100 × (1 − Δidle /
// Δtotal). No time passed (Δtotal = 0) reads as 0 %.
func Percent(prev, cur CPUTimes) (float64, error) {
	if cur.Total < prev.Total || cur.Idle < prev.Idle {
		return 0, ErrCounterWentBack
	}

	total := cur.Total - prev.Total
	if total == 0 {
		return 0, nil
	}
	idle := min(cur.Idle-prev.Idle, total)
	return 100 * (1 - float64(idle)/float64(total)), nil
}
