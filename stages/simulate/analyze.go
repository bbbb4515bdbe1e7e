package simulate

import (
	"fmt"
	"time"

	"github.com/scalora/scalora/schemas/trace"
	"github.com/scalora/scalora/stages/decision"
	"github.com/scalora/scalora/stages/forecast"
)

// AnalyzeOptions are the options of "scalora analyze" and of the API's
// POST /v1/analyze. Zero fields take the defaults of decision.GroupConfig.
type AnalyzeOptions struct {
	Provider     string
	Region       string
	InstanceType string
	// CostPerHour in USD replaces the catalog's price when positive.
	CostPerHour float64
	// Instances the trace's CPU was measured on. Default 10.
	Instances int
	// Step of the analysis. Default: the series' own (see InferStep).
	Step time.Duration
	// Model forecasts the steps. Default: the built-in model.
	Model *forecast.Model
}

// Analyze runs one trace through the stages and the three-way simulation
// and returns its report: the one function behind the command and the API,
// so that both answer the same JSON for the same input. It is safe for
// concurrent use when the options' Model is (the built-in model is loaded
// afresh on each call).
func Analyze(s *trace.Series, o AnalyzeOptions) (Report, error) {
	if o.Instances < 0 {
		return Report{}, fmt.Errorf("%w: instances %d must be at least 1", ErrInvalidConfig, o.Instances)
	}

	step := o.Step
	if step == 0 {
		var err error
		if step, err = InferStep(s); err != nil {
			return Report{}, err
		}
	}
	w, err := FromSeries(s, step)
	if err != nil {
		return Report{}, err
	}

	cfg := Config{Model: o.Model, Group: decision.GroupConfig{
		Provider: o.Provider, Region: o.Region, InstanceType: o.InstanceType,
		CostPerHour: o.CostPerHour, Instances: o.Instances,
	}}
	r, err := Run(w, cfg)
	if err != nil {
		return Report{}, err
	}
	rep := r.Report()
	rep.FormatDetected = s.Format
	return rep, nil
}
