package anomaly

import (
	"testing"

	"github.com/scalora/scalora/cmd/scalora/traces"
	"github.com/scalora/scalora/schemas"
)

// TestNABFileWithoutAnomaliesRarelyFires runs the default Detector over
// ec2_cpu_utilization_c6585a, the NAB series with no labelled anomaly, and
// counts detections after the first 15 % (which NAB leaves unscored, as a
// warm-up). The bound is generous on purpose: it fails a detector that
// fires on anything, not one that sees a few of the file's small bursts.
func TestNABFileWithoutAnomaliesRarelyFires(t *testing.T) {
	s, err := traces.Load("ec2_cpu_utilization_c6585a") // the copy bundled in the binary
	if err != nil {
		t.Fatalf("read trace: %v", err)
	}
	series := make([]float64, len(s.Points))
	for i, p := range s.Points {
		series[i] = p.CPU
	}

	d := newDetector(t, Config{Forest: ForestConfig{Seed: 1}})
	recs := make([]schemas.Anomaly, len(series))
	for i := range series {
		c := closedAt("c6585a", series, i)
		c.Step.Time = s.Points[i].Time
		recs[i] = d.Score(c)
	}

	warm := len(series) * 15 / 100
	scored, fired := 0, 0
	kinds := map[string]int{}
	for _, r := range recs[warm:] {
		scored++
		if r.Anomalous {
			fired++
			kinds[r.Kind]++
			if fired <= 5 {
				t.Logf("%s score %.3f %s: %s", r.Time.Format("2006-01-02 15:04"), r.Score, r.Kind, r.Explanation)
			}
		}
	}
	rate := float64(fired) / float64(scored)
	t.Logf("%s: %d detections in %d windows after the first 15 %% (%.2f %%), by kind %v",
		s.Name, fired, scored, 100*rate, kinds)
	if rate > 0.05 {
		t.Errorf("%.2f %% of windows flagged on a file with no anomaly, want at most 5 %%", 100*rate)
	}
}
