package window

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/schemas/trace"
	"github.com/scalora/scalora/schemas/trace/tracetest"
)

// TestRealTracesKeepEverySample replays the NAB CPU traces (5-minute
// steps with missing and off-grid rows) and checks that no sample is lost,
// every step is the mean of its samples, and steps follow each other unless
// a gap reset the window.
func TestRealTracesKeepEverySample(t *testing.T) {
	data := tracetest.SharedData(t)
	files, err := filepath.Glob(filepath.Join(data, "nab", "realAWSCloudwatch", "*.csv"))
	if err != nil || len(files) == 0 {
		t.Skipf("no NAB CloudWatch traces found: %v", err)
	}
	files = append(files,
		filepath.Join(data, "nab", "realKnownCause", "cpu_utilization_asg_misconfiguration.csv"))

	const step = 5 * time.Minute
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			series, err := trace.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}

			// The expected mean of each step, grouped independently (5
			// minutes divides a day, so Truncate is epoch-aligned here).
			sums := map[time.Time][2]float64{}
			w := newWindower(t, Config{Step: step})
			var got []Closed
			for _, p := range series.Points {
				k := p.Time.Truncate(step)
				sums[k] = [2]float64{sums[k][0] + p.CPU, sums[k][1] + 1}

				n := len(got)
				got, err = w.Add(schemas.Sample{Host: series.Name, Time: p.Time, CPU: p.CPU}, got)
				if err != nil {
					t.Fatal(err)
				}
				cloneValues(got[n:]) // they alias the buffer until the next Add
			}
			got = w.FlushAll(got)

			var samples, filled, resets int
			for i, c := range got {
				samples += c.Step.Samples
				if c.Step.Filled {
					filled++
				} else if s := sums[c.Step.Time]; s[1] != float64(c.Step.Samples) || !near(s[0]/s[1], c.Step.CPU) {
					t.Errorf("step %s: cpu %g from %d samples, want %g from %g",
						c.Step.Time, c.Step.CPU, c.Step.Samples, s[0]/s[1], s[1])
				}

				if i > 0 && c.Step.Time.Sub(got[i-1].Step.Time) != step {
					if len(c.Values) != 1 {
						t.Errorf("step %s follows %s without a reset", c.Step.Time, got[i-1].Step.Time)
					}
					resets++
				}
				n := len(c.Values)
				if n == 0 || c.Values[n-1] != c.Step.CPU || c.Ready != (n == 24) {
					t.Errorf("step %s: window %v ready %v does not end with cpu %g",
						c.Step.Time, c.Values, c.Ready, c.Step.CPU)
				}
			}
			if samples != len(series.Points) {
				t.Errorf("closed steps hold %d samples, the trace has %d", samples, len(series.Points))
			}
			t.Logf("%d samples, %d steps, %d filled, %d resets", len(series.Points), len(got), filled, resets)
		})
	}
}

func near(a, b float64) bool {
	d := a - b
	return d < 1e-9 && d > -1e-9
}
