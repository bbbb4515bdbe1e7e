package app

import (
	"cmp"
	"fmt"
	"log/slog"
	"os"

	"github.com/scalora/scalora/pipeline"
	"github.com/scalora/scalora/stages/anomaly"
	"github.com/scalora/scalora/stages/cost"
	"github.com/scalora/scalora/stages/decision"
	"github.com/scalora/scalora/stages/forecast"
	"github.com/scalora/scalora/stages/opportunity"
	"github.com/scalora/scalora/stages/window"
)

// buildStages constructs the stage chain from the configuration, pricing
// groups from cat.
func buildStages(c Config, cat *cost.Catalog, log *slog.Logger) (pipeline.Stages, error) {
	var s pipeline.Stages

	model, err := loadModel(c.Forecast.Model)
	if err != nil {
		return s, err
	}
	log.Info("forecast model loaded", "model", model.Name(), "file", cmp.Or(c.Forecast.Model, "built-in"),
		"trained_on", len(model.Training.Series), "horizon", model.Horizon(),
		"blend", cmp.Or(c.Forecast.Blend, forecast.BlendHost))

	// One set of host stages per input partition; the model is shared (it
	// is immutable), each stage keeps its own scratch and per-host state.
	s.NewHostStages = func() (pipeline.HostStages, error) {
		var hs pipeline.HostStages
		w, err := window.New(c.windowConfig())
		if err != nil {
			return hs, fmt.Errorf("window stage: %w", err)
		}
		f, err := forecast.NewStage(forecast.Config{Step: c.Window.Step, Blend: c.Forecast.Blend}, model)
		if err != nil {
			return hs, fmt.Errorf("forecast stage: %w", err)
		}
		a, err := anomaly.New(c.anomalyConfig())
		if err != nil {
			return hs, fmt.Errorf("anomaly stage: %w", err)
		}
		return pipeline.HostStages{Window: w, Forecast: f, Anomaly: a}, nil
	}

	d, co, err := buildDecision(c, cat)
	if err != nil {
		return s, err
	}
	op, err := opportunity.New(c.Decision)
	if err != nil {
		return s, fmt.Errorf("opportunity stage: %w", err)
	}

	s.Decision, s.Cost, s.Opportunity = d, co, op
	return s, nil
}

func loadModel(path string) (*forecast.Model, error) {
	if path == "" {
		m, err := forecast.DefaultModel()
		if err != nil {
			return nil, fmt.Errorf("built-in model: %w", err)
		}
		return m, nil
	}
	m, err := forecast.LoadModel(path)
	if err != nil {
		return nil, fmt.Errorf("forecast.model: %w", err)
	}
	return m, nil
}

// loadCatalog returns the built-in price catalog, overlaid with the
// configured file when there is one.
func loadCatalog(path string) (*cost.Catalog, error) {
	cat, err := cost.DefaultCatalog()
	if err != nil {
		return nil, fmt.Errorf("built-in price catalog: %w", err)
	}
	if path == "" {
		return cat, nil
	}

	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("prices: %w", err)
	}
	defer f.Close()

	user, err := cost.LoadCatalog(f)
	if err != nil {
		return nil, fmt.Errorf("prices %s: %w", path, err)
	}
	return cat.Overlay(user), nil
}

// buildDecision constructs the decider and the coster over the same group
// configuration, so every group the decider knows can be priced.
func buildDecision(c Config, cat *cost.Catalog) (*decision.Decider, *cost.Coster, error) {
	d, err := decision.New(c.Decision)
	if err != nil {
		return nil, nil, fmt.Errorf("decision stage: %w", err)
	}

	co, err := cost.New(cat, c.Decision)
	if err != nil {
		return nil, nil, fmt.Errorf("cost stage: %w", err)
	}
	return d, co, nil
}
