package simulate

import (
	"fmt"
	"math"

	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/stages/anomaly"
	"github.com/scalora/scalora/stages/cost"
	"github.com/scalora/scalora/stages/decision"
	"github.com/scalora/scalora/stages/forecast"
	"github.com/scalora/scalora/stages/window"
)

// Record is what the pipeline's stages produced for one step of a workload.
type Record struct {
	Step     schemas.Step
	Forecast schemas.Forecast
	Anomaly  schemas.Anomaly
	Decision schemas.Decision
	Cost     schemas.Cost
}

// chain is the pipeline's stage chain for one host, built from the same
// packages and the same defaults as the pipeline (see pipeline/app), with
// the window step set to the workload's step.
type chain struct {
	window   *window.Windower
	forecast *forecast.Stage
	anomaly  *anomaly.Detector
	decision *decision.Decider
	cost     *cost.Coster
}

func newChain(w *Workload, cfg *Config) (*chain, error) {
	win, err := window.New(window.Config{Step: w.Step, Size: forecast.InputSize})
	if err != nil {
		return nil, fmt.Errorf("window stage: %w", err)
	}
	fc, err := forecast.NewStage(forecast.Config{Step: w.Step}, cfg.Model)
	if err != nil {
		return nil, fmt.Errorf("forecast stage: %w", err)
	}
	an, err := anomaly.New(cfg.Anomaly)
	if err != nil {
		return nil, fmt.Errorf("anomaly stage: %w", err)
	}

	dcfg := decision.Config{
		Step:    w.Step,
		Default: cfg.Group,
		Groups:  map[string]decision.GroupConfig{cfg.Group.Name: cfg.Group},
	}
	dec, err := decision.New(dcfg)
	if err != nil {
		return nil, fmt.Errorf("decision stage: %w", err)
	}
	co, err := cost.New(cfg.Catalog, dcfg)
	if err != nil {
		return nil, fmt.Errorf("cost stage: %w", err)
	}
	return &chain{window: win, forecast: fc, anomaly: an, decision: dec, cost: co}, nil
}

// Replay runs the pipeline's stages over w as the CPU of one host of group
// cfg.Group.Name, and returns one Record per step, in step order.
//
// Each step is sent to the window stage as one sample at the step's start;
// the windower closes step i when the sample of step i+1 arrives (the last
// step by a flush), and the closed window holds steps up to i only. The
// forecast, anomaly, decision and cost stages then see exactly what the
// pipeline's processor gives them, including the CPU clipped at 100 for
// the decision. So every forecast and decision of step i uses data up to
// step i and nothing later.
//
// The decider is flushed after every step, which decides the step at once
// rather than when the next step's forecast arrives: with one host, the
// decision is the same. cfg must have had SetDefaults and Validate.
func Replay(w *Workload, cfg *Config) ([]Record, error) {
	c, err := newChain(w, cfg)
	if err != nil {
		return nil, fmt.Errorf("replay %q: %w", w.Name, err)
	}

	out := make([]Record, 0, w.Len())
	var closed []window.Closed
	for i := range w.Len() {
		s := schemas.Sample{
			Version: schemas.SampleVersion, Host: w.Name, Group: cfg.Group.Name,
			Time: w.Time(i), CPU: w.CPU[i],
		}
		closed, err = c.window.Add(s, closed[:0])
		if err != nil {
			return nil, fmt.Errorf("replay %q step %d: %w", w.Name, i, err)
		}
		if out, err = c.steps(closed, out); err != nil {
			return nil, fmt.Errorf("replay %q: %w", w.Name, err)
		}
	}

	closed = c.window.FlushAll(closed[:0])
	if out, err = c.steps(closed, out); err != nil {
		return nil, fmt.Errorf("replay %q: %w", w.Name, err)
	}
	if len(out) != w.Len() {
		return nil, fmt.Errorf("replay %q: %d steps closed for %d steps sent", w.Name, len(out), w.Len())
	}
	return out, nil
}

// steps runs the stages after the window on each closed step.
func (c *chain) steps(closed []window.Closed, out []Record) ([]Record, error) {
	for _, cl := range closed {
		r := Record{Step: cl.Step}
		r.Forecast = c.forecast.Forecast(cl)
		r.Anomaly = c.anomaly.Score(cl)

		// One host: its step is complete once it reported it, whether the
		// decider said so already or is still learning the group.
		decided := c.decision.Observe(r.Forecast, math.Min(cl.Step.CPU, 100))
		decided = append(decided, c.decision.Flush()...)
		if len(decided) != 1 {
			return out, fmt.Errorf("step %s: %d decisions, want 1", cl.Step.Time, len(decided))
		}
		r.Decision = decided[0]

		var err error
		if r.Cost, err = c.cost.Cost(r.Decision); err != nil {
			return out, fmt.Errorf("cost step %s: %w", cl.Step.Time, err)
		}
		out = append(out, r)
	}
	return out, nil
}
