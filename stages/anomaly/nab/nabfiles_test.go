package nab

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas/trace/tracetest"
	"github.com/scalora/scalora/stages/forecast"
)

// nabFiles are the seven labelled NAB CPU files and their labels, from
// ../shared/data/nab; tests skip without them.
func nabFiles(t testing.TB) ([]string, Labels) {
	dir := filepath.Join(tracetest.SharedData(t), "nab")
	files, err := filepath.Glob(filepath.Join(dir, "realAWSCloudwatch", "*.csv"))
	if err != nil || len(files) != 6 {
		t.Skipf("NAB files not found under %s: %v", dir, err)
	}
	files = append(files, filepath.Join(dir, "realKnownCause", "cpu_utilization_asg_misconfiguration.csv"))
	labels, err := ReadLabelsFile(filepath.Join(dir, "combined_windows.json"))
	if err != nil {
		t.Fatal(err)
	}
	return files, labels
}

// defaultForecaster is the pipeline's forecast stage with the built-in
// model, at NAB's 5-minute step.
func defaultForecaster() (Forecaster, error) {
	m, err := forecast.DefaultModel()
	if err != nil {
		return nil, err
	}
	return forecast.NewStage(forecast.Config{Step: 5 * time.Minute}, m)
}

// TestEvaluateNABCPUFiles runs the default detector, with the pipeline's
// forecast stage, over the seven labelled NAB CPU files and logs the
// per-file and overall scores. It checks what the detector meets today:
// at most two detections after probation on ec2_cpu_utilization_c6585a
// (no labelled anomaly), and a standard score above the null detector's.
// The target of 60 is not met (see the package anomaly doc for
// today's figure), so it is not asserted.
func TestEvaluateNABCPUFiles(t *testing.T) {
	files, labels := nabFiles(t)
	rep, err := Evaluate(files, labels, EvalConfig{NewForecaster: defaultForecaster})
	if err != nil {
		t.Fatal(err)
	}

	t.Logf("threshold %v, cooldown %d, forecasts %v", rep.Threshold, rep.Config.Cooldown, rep.Config.Forecasts)
	for _, f := range rep.Files {
		r := f.Results
		t.Logf("%-42s windows %d tp %d fn %d fp %d  raw %7.3f %7.3f %7.3f",
			filepath.Base(f.File), r[0].Windows, r[0].TP, r[0].FN, r[0].FP, r[0].Raw, r[1].Raw, r[2].Raw)
		if strings.HasSuffix(f.Key, "ec2_cpu_utilization_c6585a.csv") && r[0].Detections > 2 {
			t.Errorf("%d detections after probation on c6585a (no anomaly), want at most 2", r[0].Detections)
		}
	}
	for _, o := range rep.Overall {
		t.Logf("%-20s raw %7.3f null %5.1f perfect %4.1f normalised %5.1f", o.Profile, o.Raw, o.Null, o.Perfect, o.Normalised)
	}
	if s := rep.Overall[0].Normalised; !(s > 0) {
		t.Errorf("standard score %.1f, want above the null detector's 0", s)
	}
}

// TestEvaluateNABCPUFilesOneGroup is TestEvaluateNABCPUFiles with the
// seven files as hosts of one group sharing one detector (EvalConfig.Shared,
// the default ScopeGroup): what the group scope costs on NAB against a
// forest per file. It checks what the shared detector meets today: a
// report for each file, and a standard score above the null detector's.
func TestEvaluateNABCPUFilesOneGroup(t *testing.T) {
	files, labels := nabFiles(t)
	rep, err := Evaluate(files, labels, EvalConfig{NewForecaster: defaultForecaster, Shared: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Files) != len(files) || rep.Config.Scope != "group" || !rep.Config.Shared {
		t.Fatalf("report of %d files, scope %q, shared %v; want %d, group, true", len(rep.Files), rep.Config.Scope, rep.Config.Shared, len(files))
	}
	for _, f := range rep.Files {
		r := f.Results
		t.Logf("%-42s windows %d tp %d fn %d fp %d  raw %7.3f %7.3f %7.3f",
			filepath.Base(f.File), r[0].Windows, r[0].TP, r[0].FN, r[0].FP, r[0].Raw, r[1].Raw, r[2].Raw)
	}
	for _, o := range rep.Overall {
		t.Logf("%-20s raw %7.3f null %5.1f perfect %4.1f normalised %5.1f", o.Profile, o.Raw, o.Null, o.Perfect, o.Normalised)
	}
	if s := rep.Overall[0].Normalised; !(s > 0) {
		t.Errorf("standard score %.1f, want above the null detector's 0", s)
	}
}
