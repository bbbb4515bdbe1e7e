package schemas

import "time"

// Action is what a decision asks the user's autoscaler to do.
type Action string

// Actions a decision can carry.
const (
	ActionScaleUp   Action = "scale_up"
	ActionScaleDown Action = "scale_down"
	ActionMaintain  Action = "maintain"
)

// Mode says whether a group's decisions are meant to be acted on.
type Mode string

// Modes of a group.
const (
	// ModeEnforce marks decisions meant to be applied by the user's scaler.
	ModeEnforce Mode = "enforce"
	// ModePreview marks decisions computed and stored only (forecast-only).
	ModePreview Mode = "preview"
)

// Step is one closed step of a host's aligned window, as stored.
// Natural key: (Host, Time).
type Step struct {
	Host  string    `json:"host"`
	Group string    `json:"group"`
	Time  time.Time `json:"ts"` // start of the step
	CPU   float64   `json:"cpu"`
	// Samples is how many samples were aggregated into the step; 0 when the
	// step was filled in over a gap.
	Samples int  `json:"samples"`
	Filled  bool `json:"filled"`
}

// Forecast is the prediction made when a host's step closed.
// Natural key: (Host, Time); Values[i] is the forecast for Time+(i+1)*Step.
type Forecast struct {
	Host  string    `json:"host"`
	Group string    `json:"group"`
	Time  time.Time `json:"ts"` // start of the last closed step
	// StepSeconds is the window step the horizons are counted in.
	StepSeconds int64     `json:"step_seconds"`
	Values      []float64 `json:"values"`
	// ModelValues, when set, is the model's own forecast, before the
	// forecast stage blended it with the host's last value into Values
	// (stages/forecast, Config.Blend). Decisions size capacity from it:
	// the blend keeps the share of the model's corrections that had the
	// least absolute error, a median, which damps the rises the model
	// sees coming. The anomaly stage's residual features read it too.
	// It is not written to the store or the output topics. OwnValues
	// picks it.
	ModelValues []float64 `json:"-"`
	// Model names what produced Values, e.g. "lstm-v1" or "last_value".
	Model string `json:"model"`
	// Ready is false when the host lacks a full window and a fallback was used;
	// Reason then says how much history it has and needs.
	Ready  bool   `json:"ready"`
	Reason string `json:"reason,omitempty"`
}

// OwnValues is the model's own forecast: ModelValues when set, else Values
// (a forecast that was not blended, or one read back from the store).
func (f *Forecast) OwnValues() []float64 {
	if f.ModelValues != nil {
		return f.ModelValues
	}
	return f.Values
}

// ForecastError is a forecast value compared with the step it forecast,
// once that step closed. Natural key (Host, Time, Horizon); Time is the
// start of the target step, Model what made the forecast.
type ForecastError struct {
	Host     string    `json:"host"`
	Group    string    `json:"group"`
	Time     time.Time `json:"ts"`
	Horizon  int       `json:"horizon"`
	Forecast float64   `json:"forecast"`
	Actual   float64   `json:"actual"`
	AbsError float64   `json:"abs_error"`
	Model    string    `json:"model"`
}

// Anomaly is the anomaly score of a host's closed window.
// Natural key: (Host, Time).
type Anomaly struct {
	Host      string    `json:"host"`
	Group     string    `json:"group"`
	Time      time.Time `json:"ts"`
	Score     float64   `json:"score"` // Isolation Forest score in [0, 1]
	Anomalous bool      `json:"anomalous"`
	// Kind is empty when not anomalous: spike, drop, flatline or idle.
	Kind string `json:"kind,omitempty"`
	// Explanation names the features that stood out.
	Explanation string `json:"explanation,omitempty"`
}

// Decision is the scaling recommendation for a group at a step.
// Natural key: (Group, Time).
type Decision struct {
	Group   string    `json:"group"`
	Time    time.Time `json:"ts"`
	Action  Action    `json:"action"`
	Current int       `json:"current"`
	Target  int       `json:"target"`
	// DemandNow is the group's demand at Time in instance units
	// (instances x CPU / 100); ForecastPeak the largest forecast demand over
	// the next HorizonSteps steps.
	DemandNow    float64 `json:"demand_now"`
	ForecastPeak float64 `json:"forecast_peak"`
	HorizonSteps int     `json:"horizon_steps"`
	Model        string  `json:"model"`
	Mode         Mode    `json:"mode"`
	Reason       string  `json:"reason"`
}

// Cost is the money side of a decision for one step.
// Natural key: (Group, Time).
type Cost struct {
	Group        string    `json:"group"`
	Time         time.Time `json:"ts"`
	Provider     string    `json:"provider"`
	Region       string    `json:"region"`
	InstanceType string    `json:"instance_type"`
	PricePerHour float64   `json:"price_per_hour"` // one instance
	StepSeconds  int64     `json:"step_seconds"`
	// StaticInstances is the configured count the group would run without
	// Scalora; DecidedInstances the decision's target.
	StaticInstances  int `json:"static_instances"`
	DecidedInstances int `json:"decided_instances"`
	// StaticCost and DecidedCost are dollars spent over this one step.
	StaticCost  float64 `json:"static_cost"`
	DecidedCost float64 `json:"decided_cost"`
	// Savings is StaticCost - DecidedCost (negative when Scalora adds capacity).
	Savings float64 `json:"savings"`
}

// Opportunity is a missed scale-down: an interval in which a group ran more
// instances than its demand needed, for at least its scale-in
// stabilisation window, and Scalora did not remove them (a preview-mode
// recommendation nobody applied, a scale-in held back by stabilisation or
// the step limit, a floor set too high).
// Natural key: (Group, Start).
type Opportunity struct {
	Group string `json:"group"`
	// Start is the start of the interval's first step; End the end of its
	// last step (exclusive).
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
	Provider     string    `json:"provider"`
	InstanceType string    `json:"instance_type"`
	// Removable is how many instances could have been stopped for the
	// whole interval: the smallest excess (running − needed) of its steps.
	Removable int `json:"removable"`
	// InstanceHours is Removable × the interval's length in hours; Dollars
	// what those hours cost at the group's price.
	InstanceHours float64 `json:"instance_hours"`
	Dollars       float64 `json:"dollars"`
	Reason        string  `json:"reason"`
}
