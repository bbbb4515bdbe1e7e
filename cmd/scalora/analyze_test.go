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
)

// analyzeTrace writes a small NAB-style trace: 80 five-minute steps that
// swing between 10 and 70 %, a step missing, and a burst to 95 %.
func analyzeTrace(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("timestamp,value\n")
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	for i := range 80 {
		if i == 30 {
			continue
		}
		cpu := 40 + 30*math.Sin(float64(i)/5)
		if i >= 60 && i < 64 {
			cpu = 95
		}
		fmt.Fprintf(&b, "%s,%.3f\n", start.Add(time.Duration(i)*5*time.Minute).Format("2006-01-02 15:04:05"), cpu)
	}
	path := filepath.Join(t.TempDir(), "small.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func runAnalyzeCmd(t *testing.T, args ...string) string {
	t.Helper()
	cmd := newAnalyzeCmd()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	if err := cmd.Execute(); err != nil {
		t.Fatalf("analyze %v: %v\n%s", args, err, out.String())
	}
	return out.String()
}

// analyzeJSON is the part of the report this test re-derives by hand.
type analyzeJSON struct {
	StepSeconds int64 `json:"step_seconds"`
	Steps       int   `json:"steps"`
	FilledSteps int   `json:"filled_steps"`
	Group       struct {
		PricePerHour      float64 `json:"price_per_hour"`
		Instances         int     `json:"instances"`
		TargetUtilization float64 `json:"target_utilization"`
	} `json:"group"`
	Series []struct {
		CPU               float64  `json:"cpu"`
		Demand            float64  `json:"demand"`
		PredictedCPU      *float64 `json:"predicted_cpu"`
		Target            int      `json:"target"`
		RunningStatic     int      `json:"running_static"`
		RunningReactive   int      `json:"running_reactive"`
		RunningPredictive int      `json:"running_predictive"`
		RunningIdeal      int      `json:"running_ideal"`
	} `json:"series"`
	Simulation []struct {
		Policy                string  `json:"policy"`
		InstanceHours         float64 `json:"instance_hours"`
		CostUSD               float64 `json:"cost_usd"`
		Steps                 int     `json:"steps"`
		UnderProvisionedSteps int     `json:"under_provisioned_steps"`
		StrainedSteps         int     `json:"strained_steps"`
	} `json:"simulation"`
	Opportunities []struct {
		Steps         int     `json:"steps"`
		Removable     int     `json:"removable"`
		InstanceHours float64 `json:"instance_hours"`
		CostUSD       float64 `json:"cost_usd"`
	} `json:"opportunities"`
}

// The simulation's figures can be re-derived from the JSON's own per-step
// series: instance-hours are Σ running × step, cost that times the price,
// under-provisioned steps those with demand > running, strained those with
// demand > running × target; demand is instances × min(cpu, 100) / 100.
func TestAnalyzeJSONReproducesByHand(t *testing.T) {
	out := runAnalyzeCmd(t, analyzeTrace(t), "--cost-per-hour", "0.25", "--instances", "8", "--format", "json")

	var r analyzeJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("decode: %v\n%s", err, out)
	}
	if r.StepSeconds != 300 || r.Steps != 80 || r.FilledSteps != 1 || len(r.Series) != 80 {
		t.Fatalf("step %d s, %d steps (%d filled), %d in series; want 300, 80 (1), 80",
			r.StepSeconds, r.Steps, r.FilledSteps, len(r.Series))
	}
	if r.Group.PricePerHour != 0.25 || r.Group.Instances != 8 {
		t.Fatalf("group %+v", r.Group)
	}

	hours := float64(r.StepSeconds) / 3600
	running := map[string]func(i int) int{
		"static":     func(i int) int { return r.Series[i].RunningStatic },
		"reactive":   func(i int) int { return r.Series[i].RunningReactive },
		"predictive": func(i int) int { return r.Series[i].RunningPredictive },
		"ideal":      func(i int) int { return r.Series[i].RunningIdeal },
	}
	if len(r.Simulation) != len(running) {
		t.Fatalf("%d policies, want %d", len(r.Simulation), len(running))
	}

	for _, o := range r.Simulation {
		run := running[o.Policy]
		if run == nil {
			t.Fatalf("unknown policy %q", o.Policy)
		}
		ih, under, strained := 0.0, 0, 0
		for i, s := range r.Series {
			if want := 8 * math.Min(s.CPU, 100) / 100; math.Abs(s.Demand-want) > 1e-9 {
				t.Fatalf("step %d demand %g, want 8 × %g / 100", i, s.Demand, s.CPU)
			}
			ih += float64(run(i)) * hours
			if s.Demand > float64(run(i))+1e-9 {
				under++
			}
			if s.Demand > float64(run(i))*r.Group.TargetUtilization+1e-9 {
				strained++
			}
		}
		if math.Abs(o.InstanceHours-ih) > 1e-9 || math.Abs(o.CostUSD-ih*0.25) > 1e-9 {
			t.Errorf("%s: %g instance-hours $%g, by hand %g and $%g", o.Policy, o.InstanceHours, o.CostUSD, ih, ih*0.25)
		}
		if o.UnderProvisionedSteps != under || o.StrainedSteps != strained || o.Steps != 80 {
			t.Errorf("%s: under %d strained %d, by hand %d and %d", o.Policy, o.UnderProvisionedSteps, o.StrainedSteps, under, strained)
		}
	}

	// Static keeps 8 for 80 five-minute steps: 53.33 instance-hours.
	if got := r.Simulation[0]; got.Policy != "static" || math.Abs(got.InstanceHours-80*8*hours) > 1e-9 {
		t.Errorf("static %+v, want 53.33 instance-hours", got)
	}
	for _, o := range r.Opportunities {
		if want := float64(o.Removable*o.Steps) * hours; math.Abs(o.InstanceHours-want) > 1e-9 || math.Abs(o.CostUSD-want*0.25) > 1e-9 {
			t.Errorf("opportunity %+v: want %g instance-hours", o, want)
		}
	}
	if r.Series[0].PredictedCPU != nil || r.Series[1].PredictedCPU == nil {
		t.Errorf("predicted_cpu must be null on the first step only")
	}
}

func TestAnalyzeTextShowsEverySection(t *testing.T) {
	out := runAnalyzeCmd(t, analyzeTrace(t), "--provider", "gcp", "--instance-type", "e2-standard-4")
	for _, want := range []string{
		"Group: 10 × e2-standard-4 (gcp us-central1)", "History", "Anomalies:", "Scaling decisions:",
		"Missed scale-down opportunities", "Simulation:", "predictive", "reactive", "static", "Acceptance",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	if testing.Verbose() {
		t.Log("\n" + out)
	}
}

func TestAnalyzeRejectsAnUnknownInstanceType(t *testing.T) {
	cmd := newAnalyzeCmd()
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetArgs([]string{analyzeTrace(t), "--instance-type", "m99.huge"})
	err := cmd.Execute()
	if err == nil || !strings.Contains(err.Error(), "m5.large") {
		t.Fatalf("err %v, want the unknown type named with the known ones", err)
	}
}
