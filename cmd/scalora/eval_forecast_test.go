package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scalora/scalora/stages/forecast"
)

// writeNAB writes a NAB CSV of n 5-minute steps of a noisy daily cycle.
func writeNAB(t *testing.T, dir, name string, n int, phase float64) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("timestamp,value\n")
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		v := 40 + 20*math.Sin(2*math.Pi*float64(i)/288+phase) + 3*math.Sin(float64(i)*1.7)
		fmt.Fprintf(&b, "%s,%.3f\n", t0.Add(time.Duration(i)*5*time.Minute).Format("2006-01-02 15:04:05"), v)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func runEval(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := newEvalForecastCmd()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	return out.String(), err
}

func TestEvalForecastJSONReport(t *testing.T) {
	dir := t.TempDir()
	writeNAB(t, dir, "a.csv", 1500, 0)
	b := writeNAB(t, dir, "b.csv", 1600, 1)

	out, err := runEval(t, "--data", dir, "--data", b, "--horizons", "1,12", "--format", "json", "--stride", "3")
	if err != nil {
		t.Fatal(err)
	}
	var rep forecast.EvalReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("output is not a report: %v\n%s", err, out)
	}

	if rep.Schema != forecast.EvalReportSchema || len(rep.Horizons) != 2 || rep.TestFraction != 0.2 || rep.Season != 288 {
		t.Fatalf("header %+v", rep)
	}
	if len(rep.Series) != 3 || rep.Series[0].Name != "a" || rep.Series[2].Name != "b" {
		t.Fatalf("series %d, want a, b (folder) and b again (file)", len(rep.Series))
	}
	want := []string{"lstm-h32-v1+blend", "lstm-h32-v1", "last_value", "seasonal_naive", "holt_winters"}
	if len(rep.Average) != len(want) {
		t.Fatalf("%d models averaged, want %v", len(rep.Average), want)
	}
	for i, s := range rep.Average {
		if s.Model != want[i] || len(s.MAE) != 2 || len(s.MASE) != 2 {
			t.Fatalf("average %d: %+v, want model %s with 2 MAE and 2 MASE", i, s, want[i])
		}
	}
	if len(rep.ByFormat) != 1 || rep.ByFormat[0].Format != "nab_csv" || rep.ByFormat[0].Series != 3 {
		t.Errorf("by format %+v", rep.ByFormat)
	}

	// On a clean daily cycle the seasonal baselines must beat last value
	// at 12 steps (an hour): a check that the season is a day.
	avg := rep.Average
	if !(avg[3].MAE[1] < avg[2].MAE[1]) || !(avg[4].MAE[1] < avg[2].MAE[1]) {
		t.Errorf("seasonal %.3f / holt-winters %.3f not below last value %.3f at h12",
			avg[3].MAE[1], avg[4].MAE[1], avg[2].MAE[1])
	}
	if s := rep.Series[0]; s.InSample != 1200 || s.Origins != (1500-12-1200)/3+1 {
		t.Errorf("series a: in-sample %d origins %d", s.InSample, s.Origins)
	}
}

func TestEvalForecastTextReport(t *testing.T) {
	dir := t.TempDir()
	writeNAB(t, dir, "a.csv", 1200, 0)
	out, err := runEval(t, "--data", dir, "--stride", "5")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"a (nab_csv, 1200 steps", "MASE h12", "holt_winters", "average over all 1 traces"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestEvalForecastRejectsBadFlags(t *testing.T) {
	dir := t.TempDir()
	writeNAB(t, dir, "a.csv", 1200, 0)
	cases := map[string][]string{
		"bad horizon":        {"--data", dir, "--horizons", "1,x"},
		"horizon 0":          {"--data", dir, "--horizons", "0"},
		"horizon beyond 12":  {"--data", dir, "--horizons", "13"},
		"bad format":         {"--data", dir, "--format", "xml"},
		"missing file":       {"--data", filepath.Join(dir, "nope.csv")},
		"empty folder":       {"--data", t.TempDir()},
		"save without train": {"--data", dir, "--save-model", filepath.Join(dir, "m.json")},
		"features w/o train": {"--data", dir, "--features", "delta_last,level,time_of_day_sin"},
		"epochs w/o train":   {"--data", dir, "--epochs", "3"},
		"too short":          {"--data", writeNAB(t, t.TempDir(), "s.csv", 500, 0)},
	}
	for name, args := range cases {
		if _, err := runEval(t, args...); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestEvalForecastEnsembleWithFeaturesOnValidationSplit(t *testing.T) {
	dir := t.TempDir()
	writeNAB(t, dir, "a.csv", 2000, 0)
	out, err := runEval(t, "--data", dir, "--train-in-sample", "--epochs", "1", "--hidden", "4", "--ensemble", "2",
		"--features", "delta_last,level,time_of_day_sin,time_of_day_cos,day_ago_ahead", "--validate",
		"--stride", "7", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var rep forecast.EvalReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("output is not a report: %v\n%s", err, out)
	}
	// --validate drops the last 20 %: 1600 steps are left, 1280 in-sample.
	s := rep.Series[0]
	if s.Points != 1600 || s.InSample != 1280 || s.Scores[0].Model != "mean2-lstm-h4-tod-dayago-v1+blend" {
		t.Fatalf("series %s: %d points, %d in-sample, first model %s", s.Name, s.Points, s.InSample, s.Scores[0].Model)
	}
	if !strings.Contains(rep.LSTM, "mean of 2 seeds") {
		t.Errorf("label %q does not say it is an ensemble", rep.LSTM)
	}
}

func TestEvalForecastRejectsBadTrainingFlags(t *testing.T) {
	dir := t.TempDir()
	writeNAB(t, dir, "a.csv", 1200, 0)
	cases := map[string][]string{
		"ensemble 0":            {"--data", dir, "--train-in-sample", "--ensemble", "0"},
		"save an ensemble":      {"--data", dir, "--train-in-sample", "--ensemble", "2", "--save-model", filepath.Join(dir, "m.json")},
		"unknown feature":       {"--data", dir, "--train-in-sample", "--epochs", "1", "--features", "delta_last,level,weekday"},
		"features out of order": {"--data", dir, "--train-in-sample", "--epochs", "1", "--features", "level,delta_last"},
	}
	for name, args := range cases {
		if _, err := runEval(t, args...); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// A generic CSV with several columns needs its CPU column named, as the
// reader's error asks; the flags let a user do it (here, Azure V1's shape).
func TestEvalForecastReadsTheNamedColumnsOfAGenericCSV(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("when,min cpu,max cpu,avg cpu\n")
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 1500 {
		v := 40 + 20*math.Sin(2*math.Pi*float64(i)/288)
		fmt.Fprintf(&b, "%s,%.3f,%.3f,%.3f\n", t0.Add(time.Duration(i)*5*time.Minute).Format("2006-01-02 15:04:05"), v-5, v+5, v)
	}
	path := filepath.Join(dir, "fleet.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}

	if _, err := runEval(t, "--data", path, "--time-column", "when"); err == nil || !strings.Contains(err.Error(), "choose the CPU column") {
		t.Fatalf("without --cpu-column: err %v, want a request to choose the CPU column", err)
	}
	out, err := runEval(t, "--data", path, "--time-column", "when", "--cpu-column", "avg cpu", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var rep forecast.EvalReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("output is not a report: %v", err)
	}
	if len(rep.Series) != 1 || rep.Series[0].Points != 1500 {
		t.Fatalf("series %+v, want one of 1500 points", rep.Series)
	}
}
