package simulate

import "time"

// Policy names, as they appear in Outcome.Policy.
const (
	PolicyStatic     = "static"
	PolicyReactive   = "reactive"
	PolicyPredictive = "predictive"
	PolicyIdeal      = "ideal"
)

// demandSlack keeps float error from calling a step that runs exactly at
// capacity (or exactly at target) under-provisioned (or strained).
const demandSlack = 1e-9

// Outcome is what one policy did over a workload.
type Outcome struct {
	Policy string `json:"policy"`

	// InstanceHours is Σ running × step, in hours; CostUSD is that times
	// the group's price per instance-hour.
	InstanceHours float64 `json:"instance_hours"`
	CostUSD       float64 `json:"cost_usd"`

	// Steps is how many steps were measured.
	Steps int `json:"steps"`

	// UnderProvisionedSteps counts steps whose demand exceeded the running
	// instances (demand > running); UnderProvisionedPct is their share of
	// Steps in percent.
	UnderProvisionedSteps int     `json:"under_provisioned_steps"`
	UnderProvisionedPct   float64 `json:"under_provisioned_pct"`

	// StrainedSteps counts steps whose demand exceeded the running
	// instances at the target utilisation (demand > running × target);
	// StrainedPct is their share of Steps in percent. Under-provisioned
	// steps are strained too.
	StrainedSteps int     `json:"strained_steps"`
	StrainedPct   float64 `json:"strained_pct"`

	// ScaleOuts and ScaleIns count the steps whose running count rose or
	// fell from the step before.
	ScaleOuts int `json:"scale_outs"`
	ScaleIns  int `json:"scale_ins"`
}

// Measure computes the Outcome of running[i] instances serving demand[i]
// (instance units) over steps of length step, at target utilisation target
// and price USD per instance-hour. running and demand have the same length.
func Measure(policy string, running []int, demand []float64, target, price float64, step time.Duration) Outcome {
	o := Outcome{Policy: policy, Steps: len(running)}

	total := 0
	for i, r := range running {
		total += r
		if demand[i] > float64(r)+demandSlack {
			o.UnderProvisionedSteps++
		}
		if demand[i] > float64(r)*target+demandSlack {
			o.StrainedSteps++
		}
		if i > 0 && r > running[i-1] {
			o.ScaleOuts++
		}
		if i > 0 && r < running[i-1] {
			o.ScaleIns++
		}
	}

	o.InstanceHours = float64(total) * step.Hours()
	o.CostUSD = o.InstanceHours * price
	if o.Steps > 0 {
		o.UnderProvisionedPct = 100 * float64(o.UnderProvisionedSteps) / float64(o.Steps)
		o.StrainedPct = 100 * float64(o.StrainedSteps) / float64(o.Steps)
	}
	return o
}
