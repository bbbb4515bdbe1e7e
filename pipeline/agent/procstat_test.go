package agent

import (
	"errors"
	"math"
	"os"
	"strings"
	"testing"
)

// The two fixtures are 2000 jiffies apart: user +700, system +300, idle
// +800, iowait +50, irq/softirq/steal +50 each, and guest columns that
// must not be added again. Idle (idle+iowait) grew by 850 of 2000, so the
// CPU was busy 1 − 850/2000 = 57.5 % of the time.
func TestPercentFromTwoSnapshots(t *testing.T) {
	fsys := os.DirFS("testdata")
	a := mustRead(t, fsys, "stat_a")
	b := mustRead(t, fsys, "stat_b")

	if a.CPU != (CPUTimes{Idle: 8500, Total: 10000}) {
		t.Fatalf("stat_a = %+v, want idle 8500 of total 10000", a.CPU)
	}
	if b.CPU != (CPUTimes{Idle: 9350, Total: 12000}) {
		t.Fatalf("stat_b = %+v, want idle 9350 of total 12000 (guest not counted)", b.CPU)
	}

	pct, err := Percent(a.CPU, b.CPU)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(pct-57.5) > 1e-9 {
		t.Fatalf("percent = %v, want 57.5", pct)
	}
}

func TestCoreCountFromCPUNLines(t *testing.T) {
	st, err := ParseProcStat(strings.NewReader(
		"cpu 1 2 3 4\ncpu0 1 2 3 4\ncpu1 1 2 3 4\ncpu7 1 2 3 4\ncpufreq 1\nintr 5\n"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Cores != 3 {
		t.Fatalf("cores = %d, want 3 (cpu0, cpu1, cpu7; not cpufreq)", st.Cores)
	}

	if got := mustRead(t, os.DirFS("testdata"), "stat_a").Cores; got != 4 {
		t.Fatalf("stat_a cores = %d, want 4", got)
	}
}

func TestMalformedProcStatIsRejected(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", `no aggregate "cpu" line`},
		{"no aggregate", "cpu0 1 2 3 4\n", `no aggregate "cpu" line`},
		{"too few columns", "intr 1\ncpu 1 2 3\ncpu0 1 2 3\n", "line 2: 3 columns, want at least 4"},
		{"not a number", "cpu 1 2 x 4\ncpu0 1 2 3 4\n", `line 1: column 3 "x": not a counter`},
		{"negative", "cpu 1 -2 3 4\ncpu0 1 2 3 4\n", `column 2 "-2"`},
		{"no cores", "cpu 1 2 3 4\n", `no "cpuN" lines`},
		{"overflow", "cpu 18446744073709551615 1 0 0\ncpu0 1 2 3 4\n", "column 2: the sum of the counters overflows"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseProcStat(strings.NewReader(tc.in))
			if !errors.Is(err, ErrMalformedStat) {
				t.Fatalf("err = %v, want ErrMalformedStat", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %q, want it to say %q", err, tc.want)
			}
		})
	}
}

func TestPercentRefusesCountersGoingBack(t *testing.T) {
	_, err := Percent(CPUTimes{Idle: 50, Total: 100}, CPUTimes{Idle: 10, Total: 20})
	if !errors.Is(err, ErrCounterWentBack) {
		t.Fatalf("err = %v, want ErrCounterWentBack (reboot between readings)", err)
	}

	pct, err := Percent(CPUTimes{Idle: 50, Total: 100}, CPUTimes{Idle: 50, Total: 100})
	if err != nil || pct != 0 {
		t.Fatalf("no time passed: %v, %v; want 0, nil", pct, err)
	}
}

func FuzzParseProcStat(f *testing.F) {
	for _, name := range []string{"stat_a", "stat_b"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("cpu 1 2 3\n"))
	f.Add([]byte("cpu 18446744073709551615 18446744073709551615 1 1\ncpu0 1 1 1 1\n"))

	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := ParseProcStat(strings.NewReader(string(data)))
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if st.Cores < 1 {
			t.Fatalf("accepted %d cores", st.Cores)
		}
		if st.CPU.Idle > st.CPU.Total {
			t.Fatalf("idle %d above total %d", st.CPU.Idle, st.CPU.Total)
		}
	})
}
