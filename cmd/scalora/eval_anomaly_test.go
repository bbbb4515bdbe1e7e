package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scalora/scalora/stages/anomaly/nab"
)

// writeEvalFixture writes a 5-minute CPU file of 1,200 rows (a daily cycle
// with a small wobble) with a burst to 98 % from row 900, and a labels file
// with one window around the burst.
func writeEvalFixture(t *testing.T) (data, labels string) {
	t.Helper()
	dir := t.TempDir()
	data = filepath.Join(dir, "realKnownCause", "burst.csv")
	if err := os.MkdirAll(filepath.Dir(data), 0o755); err != nil {
		t.Fatal(err)
	}

	t0 := time.Date(2014, 2, 14, 0, 0, 0, 0, time.UTC)
	var b strings.Builder
	b.WriteString("timestamp,value\n")
	for i := range 1200 {
		v := 40 + 15*math.Sin(2*math.Pi*float64(i)/288) + 2*math.Sin(float64(i)*1.7)
		if i >= 900 && i < 904 {
			v = 98
		}
		fmt.Fprintf(&b, "%s,%.3f\n", t0.Add(time.Duration(i)*5*time.Minute).Format("2006-01-02 15:04:05"), v)
	}
	if err := os.WriteFile(data, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}

	start := t0.Add(860 * 5 * time.Minute).Format("2006-01-02 15:04:05.000000")
	end := t0.Add(979 * 5 * time.Minute).Format("2006-01-02 15:04:05.000000")
	labels = filepath.Join(dir, "windows.json")
	doc := fmt.Sprintf(`{"realKnownCause/burst.csv": [[%q, %q]]}`, start, end)
	if err := os.WriteFile(labels, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return data, labels
}

func runEvalCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := newEvalAnomalyCmd()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), err
}

func TestEvalAnomalyJSONScoresTheBurst(t *testing.T) {
	data, labels := writeEvalFixture(t)
	// The burst on this very smooth host scores about 0.59, under the
	// default threshold (see anomaly.Config.Threshold), and windows of the
	// plain cycle reach 0.55 now and then: the flags set a lower threshold
	// and report every anomalous window, so that no earlier event hides
	// the burst, and the report must say so.
	out, err := runEvalCmd(t, "--data", data, "--labels", labels, "--format", "json", "--forecast", "none",
		"--threshold", "0.55", "--cooldown", "-1")
	if err != nil {
		t.Fatalf("eval anomaly: %v\n%s", err, out)
	}

	var rep nab.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("output is not a report: %v\n%s", err, out)
	}
	if len(rep.Files) != 1 || len(rep.Overall) != 3 || rep.Threshold != 0.55 || rep.Config.Cooldown != -1 {
		t.Fatalf("report shape: %+v", rep)
	}
	f := rep.Files[0]
	if f.Key != "realKnownCause/burst.csv" || len(f.Results) != 3 {
		t.Fatalf("file entry: %+v", f)
	}
	r := f.Results[0]
	if r.Rows != 1200 || r.Probation != 180 || r.Windows != 1 || r.TP != 1 {
		t.Fatalf("standard result %+v: want 1,200 rows, 180 in probation, the window detected", r)
	}

	// The burst starts at row 900 of a window of rows 860-979 (width 120):
	// detected on its first row, position -(979-900+1)/120 = -2/3, worth
	// S(-2/3)/S(-1) = 0.9311/0.9866 = 0.9438 before any false positive.
	if want := 0.9438; r.Raw > want+1e-3 {
		t.Errorf("raw %.4f above the best possible %.4f", r.Raw, want)
	}
	if r.Detections < r.FP+1 {
		t.Errorf("%d detections, want at least the %d false positives and one in the window", r.Detections, r.FP)
	}
	o := rep.Overall[0]
	if o.Raw != r.Raw || o.Null != -1 || o.Perfect != 1 || o.Normalised != nab.Normalised(r.Raw, -1, 1) {
		t.Errorf("overall %+v does not sum the one file's %+v", o, r)
	}
}

func TestEvalAnomalyTextAndOneProfile(t *testing.T) {
	data, labels := writeEvalFixture(t)
	out, err := runEvalCmd(t, data, "--labels", labels, "--forecast", "none", "--profile", "reward_low_FN_rate")
	if err != nil {
		t.Fatalf("eval anomaly: %v\n%s", err, out)
	}
	for _, want := range []string{"burst.csv", "raw reward_low_FN_rate", "normalised"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "raw standard") {
		t.Errorf("--profile reward_low_FN_rate printed the standard profile:\n%s", out)
	}
}

func TestEvalAnomalyRejectsBadInput(t *testing.T) {
	data, labels := writeEvalFixture(t)
	cases := map[string][]string{
		"no data":         {"--labels", labels},
		"no labels":       {"--data", data},
		"bad format":      {"--data", data, "--labels", labels, "--format", "xml"},
		"bad profile":     {"--data", data, "--labels", labels, "--profile", "lenient"},
		"unlabelled file": {"--data", filepath.Join(t.TempDir(), "other.csv"), "--labels", labels},
		"bad threshold":   {"--data", data, "--labels", labels, "--threshold", "1.5"},
	}
	for name, args := range cases {
		if out, err := runEvalCmd(t, append(args, "--forecast", "none")...); err == nil {
			t.Errorf("%s: accepted\n%s", name, out)
		}
	}
}

func TestEvalAnomalyNormaliseIsRecorded(t *testing.T) {
	data, labels := writeEvalFixture(t)
	out, err := runEvalCmd(t, "--data", data, "--labels", labels, "--format", "json", "--forecast", "none", "--normalise")
	if err != nil {
		t.Fatalf("eval anomaly: %v\n%s", err, out)
	}
	var rep nab.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("output is not a report: %v\n%s", err, out)
	}
	if !rep.Config.Normalised || len(rep.Files) != 1 || rep.Files[0].Results[0].Rows != 1200 {
		t.Fatalf("report %+v: want normalised recorded and the file's 1,200 rows scored", rep.Config)
	}
}
