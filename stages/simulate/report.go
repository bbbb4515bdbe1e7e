package simulate

import (
	"time"

	"github.com/scalora/scalora/schemas"
)

// Report is the JSON document of `scalora analyze --format json`. Its field
// names are stable: they are listed, with units, in the package doc, and a
// field is only ever added, never renamed or given another meaning.
type Report struct {
	Trace string `json:"trace"`
	// FormatDetected names the export shape the trace was read from
	// (trace.Series.Format, e.g. "nab_csv", "cloudwatch_csv").
	FormatDetected string             `json:"format_detected"`
	Start          time.Time          `json:"start"`
	StepSeconds    int64              `json:"step_seconds"`
	Steps          int                `json:"steps"`
	FilledSteps    int                `json:"filled_steps"`
	Model          string             `json:"model"`
	Group          GroupReport        `json:"group"`
	Reactive       ReactiveConfig     `json:"reactive"`
	Series         []StepReport       `json:"series"`
	Anomalies      []schemas.Anomaly  `json:"anomalies"`
	Decisions      []schemas.Decision `json:"decisions"`
	Pipeline       PipelineCost       `json:"pipeline_cost"`
	Opportunities  []Opportunity      `json:"opportunities"`
	Simulation     []Outcome          `json:"simulation"`
	Acceptance     Acceptance         `json:"acceptance"`
}

// GroupReport is the group configuration the analysis ran with.
type GroupReport struct {
	Name                        string  `json:"name"`
	Provider                    string  `json:"provider"`
	Region                      string  `json:"region"`
	InstanceType                string  `json:"instance_type"`
	PricePerHour                float64 `json:"price_per_hour"`
	Instances                   int     `json:"instances"`
	MinInstances                int     `json:"min_instances"`
	MaxInstances                int     `json:"max_instances"`
	TargetUtilization           float64 `json:"target_utilization"`
	BootSeconds                 int64   `json:"boot_seconds"`
	ScaleInStabilizationSeconds int64   `json:"scale_in_stabilization_seconds"`
	MaxScaleInStep              int     `json:"max_scale_in_step"`
	HeadroomQuantile            float64 `json:"headroom_quantile"`
	HeadroomWindowSeconds       int64   `json:"headroom_window_seconds"`
}

// StepReport is one step of the trace and what each part made of it.
type StepReport struct {
	Time   time.Time `json:"ts"`
	CPU    float64   `json:"cpu"`
	Filled bool      `json:"filled"`
	Demand float64   `json:"demand"`

	// PredictedCPU is the forecast for this step made when the step before
	// closed; null for the first step.
	PredictedCPU  *float64 `json:"predicted_cpu"`
	ForecastReady bool     `json:"forecast_ready"`

	AnomalyScore float64 `json:"anomaly_score"`
	Anomalous    bool    `json:"anomalous"`

	Action schemas.Action `json:"action"`
	Target int            `json:"target"`

	RunningStatic     int `json:"running_static"`
	RunningReactive   int `json:"running_reactive"`
	RunningPredictive int `json:"running_predictive"`
	RunningIdeal      int `json:"running_ideal"`
}

// PipelineCost sums what the cost stage priced for the decisions: each
// decision's target for one step, against the static count. It differs
// from the predictive outcome, which counts the instances serving each
// step after boot delays.
type PipelineCost struct {
	StaticUSD  float64 `json:"static_usd"`
	DecidedUSD float64 `json:"decided_usd"`
	SavingsUSD float64 `json:"savings_usd"`
}

// Report builds the JSON document of r. Decisions lists only the steps
// that scale (scale_up, scale_down); every step's action and target are in
// Series. Anomalies lists only anomalous windows.
func (r *Result) Report() Report {
	w, g := r.Workload, r.Config.Group
	rep := Report{
		Trace:       w.Name,
		Start:       w.Start,
		StepSeconds: int64(w.Step / time.Second),
		Steps:       w.Len(),
		Model:       modelName(r),
		Group: GroupReport{
			Name: g.Name, Provider: g.Provider, Region: g.Region, InstanceType: g.InstanceType,
			PricePerHour: r.PricePerHour, Instances: g.Instances,
			MinInstances: g.MinInstances, MaxInstances: g.MaxInstances,
			TargetUtilization:           g.TargetUtilization,
			BootSeconds:                 int64(g.BootTime / time.Second),
			ScaleInStabilizationSeconds: int64(g.ScaleInStabilization / time.Second),
			MaxScaleInStep:              g.MaxScaleInStep,
			HeadroomQuantile:            g.HeadroomQuantile,
			HeadroomWindowSeconds:       int64(g.HeadroomWindow / time.Second),
		},
		Reactive:      r.Config.Reactive,
		Series:        make([]StepReport, w.Len()),
		Anomalies:     []schemas.Anomaly{},
		Decisions:     []schemas.Decision{},
		Opportunities: r.Opportunities,
		Simulation:    r.Outcomes,
		Acceptance:    r.Acceptance,
	}
	if rep.Opportunities == nil {
		rep.Opportunities = []Opportunity{}
	}

	for i, rec := range r.Records {
		s := StepReport{
			Time: w.Time(i), CPU: w.CPU[i], Filled: w.Filled[i], Demand: r.Demand[i],
			AnomalyScore: rec.Anomaly.Score, Anomalous: rec.Anomaly.Anomalous,
			Action: rec.Decision.Action, Target: rec.Decision.Target,
			RunningStatic: r.Static[i], RunningReactive: r.Reactive[i],
			RunningPredictive: r.Predictive[i], RunningIdeal: r.Ideal[i],
		}
		if i > 0 {
			prev := r.Records[i-1].Forecast
			if len(prev.Values) > 0 {
				v := prev.Values[0]
				s.PredictedCPU = &v
			}
			s.ForecastReady = prev.Ready
		}
		if w.Filled[i] {
			rep.FilledSteps++
		}
		rep.Series[i] = s

		if rec.Anomaly.Anomalous {
			rep.Anomalies = append(rep.Anomalies, rec.Anomaly)
		}
		if rec.Decision.Action != schemas.ActionMaintain {
			rep.Decisions = append(rep.Decisions, rec.Decision)
		}
		rep.Pipeline.StaticUSD += rec.Cost.StaticCost
		rep.Pipeline.DecidedUSD += rec.Cost.DecidedCost
		rep.Pipeline.SavingsUSD += rec.Cost.Savings
	}
	return rep
}

// modelName is the name the replay's model forecasts carry (the model's,
// with "+blend" when the forecast stage blends), or the model's own name
// when no step had a full window.
func modelName(r *Result) string {
	for _, rec := range r.Records {
		if rec.Forecast.Ready {
			return rec.Forecast.Model
		}
	}
	return r.Config.Model.Name()
}
