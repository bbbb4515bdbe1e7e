package simulate

import (
	"cmp"
	"fmt"
)

// Result is a workload replayed through the pipeline's stages and the
// three policies.
type Result struct {
	Workload *Workload

	// Config is the configuration run, with its defaults filled in.
	Config Config

	// PricePerHour is the group's USD price per instance-hour.
	PricePerHour float64

	// Records holds what the stages produced, one per step.
	Records []Record

	// Demand is each step's demand in instance units (see
	// Workload.Demand).
	Demand []float64

	// Static, Reactive, Predictive and Ideal hold the instances each policy
	// ran at each step.
	Static, Reactive, Predictive, Ideal []int

	// Outcomes measures the policies in the order static, reactive,
	// predictive, ideal.
	Outcomes []Outcome

	// Opportunities are the missed scale-downs of the history, in which
	// the group ran its static count throughout.
	Opportunities []Opportunity

	Acceptance Acceptance
}

// Run replays w through the pipeline's stages (see Replay) and simulates
// the static, reactive and predictive policies, plus the ideal reference,
// on its demand. cfg is copied and given its defaults; the group is named
// after w when it has no name.
func Run(w *Workload, cfg Config) (*Result, error) {
	if w.Len() == 0 {
		return nil, fmt.Errorf("simulate %q: %w", w.Name, ErrShortTrace)
	}
	cfg.Group.Name = cmp.Or(cfg.Group.Name, w.Name)
	if err := cfg.SetDefaults(); err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("simulate %q: %w", w.Name, err)
	}
	price, err := cfg.price()
	if err != nil {
		return nil, fmt.Errorf("simulate %q: %w", w.Name, err)
	}

	records, err := Replay(w, &cfg)
	if err != nil {
		return nil, err
	}

	g := cfg.Group
	r := &Result{Workload: w, Config: cfg, PricePerHour: price, Records: records}
	r.Demand = make([]float64, w.Len())
	targets := make([]int, w.Len())
	for i := range r.Demand {
		r.Demand[i] = w.Demand(i, g.Instances)
		targets[i] = records[i].Decision.Target
	}

	r.Static = Static(w.Len(), g.Instances)
	r.Reactive = Reactive(r.Demand, g, cfg.Reactive, w.Step)
	r.Predictive = Predictive(targets, g, w.Step)
	r.Ideal = Ideal(r.Demand, g)

	measure := func(name string, run []int) Outcome {
		return Measure(name, run, r.Demand, g.TargetUtilization, price, w.Step)
	}
	r.Outcomes = []Outcome{
		measure(PolicyStatic, r.Static),
		measure(PolicyReactive, r.Reactive),
		measure(PolicyPredictive, r.Predictive),
		measure(PolicyIdeal, r.Ideal),
	}

	r.Opportunities = Opportunities(w, r.Static, r.Demand, g, price)

	oracle, err := Oracle(w, g)
	if err != nil {
		return nil, err
	}
	boot := bootSteps(g.BootTime, w.Step)
	lagged, reserve := Lagged(r.Demand, g, boot, int(AcceptUnderPct/100*float64(w.Len())))
	r.Acceptance = Accept(Judged{
		Static: r.Outcomes[0], Reactive: r.Outcomes[1], Predictive: r.Outcomes[2], Ideal: r.Outcomes[3],
		Oracle: measure("oracle", oracle), Lagged: measure("lagged", lagged), LaggedReserve: reserve,
		Demand: r.Demand, ReactiveRun: r.Reactive, PredictiveRun: r.Predictive,
		Group: g, Boot: boot,
	})
	return r, nil
}
