package simulate

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas/trace"
	"github.com/scalora/scalora/stages/decision"
)

func waveSeries(n int, step time.Duration) *trace.Series {
	s := &trace.Series{Name: "wave", Format: trace.FormatNAB}
	for i := range n {
		cpu := 40 + 30*math.Sin(float64(i)/12)
		s.Points = append(s.Points, trace.Point{Time: t0.Add(time.Duration(i) * step), CPU: cpu})
	}
	return s
}

func TestAnalyzeIsRunOnTheSeriesAtItsOwnStep(t *testing.T) {
	s := waveSeries(120, 5*time.Minute)
	got, err := Analyze(s, AnalyzeOptions{Instances: 6, Provider: "gcp"})
	if err != nil {
		t.Fatal(err)
	}

	w, err := FromSeries(s, 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Run(w, Config{Group: decision.GroupConfig{Provider: "gcp", Instances: 6}})
	if err != nil {
		t.Fatal(err)
	}
	want := r.Report()
	want.FormatDetected = s.Format // Run knows the workload, Analyze the file it came from
	a, _ := json.Marshal(got)
	b, _ := json.Marshal(want)
	if string(a) != string(b) {
		t.Error("Analyze differs from Run on the same workload")
	}
	if got.StepSeconds != 300 || got.Group.Instances != 6 || got.Group.InstanceType != "e2-standard-2" {
		t.Errorf("step %d, group %+v", got.StepSeconds, got.Group)
	}

	// A step given overrides the series' own.
	got, err = Analyze(s, AnalyzeOptions{Step: 10 * time.Minute})
	if err != nil || got.StepSeconds != 600 || got.Steps != 60 {
		t.Errorf("with step 10m: %d s, %d steps, %v", got.StepSeconds, got.Steps, err)
	}
}

func TestAnalyzeRefusesWhatRunWould(t *testing.T) {
	if _, err := Analyze(waveSeries(1, time.Minute), AnalyzeOptions{}); !errors.Is(err, ErrShortTrace) {
		t.Errorf("one reading: %v", err)
	}
	if _, err := Analyze(waveSeries(50, time.Minute), AnalyzeOptions{Instances: -1}); !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("negative instances: %v", err)
	}
}
