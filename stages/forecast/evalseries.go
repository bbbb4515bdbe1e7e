package forecast

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// EvalConfig configures EvaluateSeries. Zero fields take the defaults
// written in their docs (see SetDefaults).
type EvalConfig struct {
	// Horizons are the 1-based steps scored; default 1, 6 and 12.
	Horizons []int
	// TestFraction is the tail of each series whose steps are forecast and
	// scored; the rest is the in-sample part (fitting, MASE scale).
	// Default 0.2.
	TestFraction float64
	// Stride is the distance in steps between forecast origins; default 1
	// (every step of the tail is an origin).
	Stride int
}

// SetDefaults fills zero fields with their defaults.
func (c *EvalConfig) SetDefaults() {
	if len(c.Horizons) == 0 {
		c.Horizons = []int{1, 6, 12}
	}
	if c.TestFraction == 0 {
		c.TestFraction = 0.2
	}
	if c.Stride == 0 {
		c.Stride = 1
	}
}

// Validate checks the fields; call after SetDefaults.
func (c *EvalConfig) Validate() error {
	for _, h := range c.Horizons {
		if h < 1 {
			return fmt.Errorf("horizon %d below 1", h)
		}
	}
	switch {
	case !(c.TestFraction > 0 && c.TestFraction < 1):
		return fmt.Errorf("test fraction %g outside (0, 1)", c.TestFraction)
	case c.Stride < 1:
		return fmt.Errorf("stride %d below 1", c.Stride)
	}
	return nil
}

// SplitPoint is the first step of the scored tail of a series of n steps:
// floor(n * (1 - testFraction)). Steps before it are in-sample.
func SplitPoint(n int, testFraction float64) int {
	return int(float64(n) * (1 - testFraction))
}

// ModelScore is one model's errors at each evaluated horizon, in the order
// of the report's horizons.
type ModelScore struct {
	Model string `json:"model"`
	// MAE is the mean absolute error in CPU percent.
	MAE []float64 `json:"mae"`
	// MASE is MAE divided by the series' in-sample one-step naive MAE (see
	// SeriesEval.NaiveScale). It is null for a series whose in-sample
	// part never changes (scale 0), and averages leave such series out.
	MASE []float64 `json:"mase"`
}

// SeriesEval is the evaluation of one series.
type SeriesEval struct {
	Name   string `json:"name"`
	Format string `json:"format,omitempty"`
	Points int    `json:"points"` // aligned steps in the series
	// InSample is the number of leading steps not scored (SplitPoint).
	InSample int `json:"in_sample"`
	// Origins is the number of forecast origins scored; every horizon is
	// averaged over the same origins.
	Origins int `json:"origins"`
	// NaiveScale is the mean |x[t] - x[t-1]| over the in-sample steps: the
	// MASE denominator.
	NaiveScale float64      `json:"naive_scale"`
	Scores     []ModelScore `json:"scores"`
}

// EvaluateSeries scores each model by rolling-origin evaluation over the
// last cfg.TestFraction of series (CPU percent at a fixed step, oldest
// first).
//
// Every origin t from SplitPoint to len(series) - max(horizons), stepping
// by cfg.Stride, gives each model history series[:t] and scores its
// forecast h steps ahead against series[t+h-1]. The models must have been
// fitted (or trained) on series[:SplitPoint] or other data only: that is
// the caller's contract, EvaluateSeries cannot check it. It fails when a
// model's horizon or minimum history does not fit, or when the series is
// too short for one origin.
func EvaluateSeries(name string, series []float64, models []SeriesForecaster, cfg EvalConfig) (SeriesEval, error) {
	cfg.SetDefaults()
	if err := cfg.Validate(); err != nil {
		return SeriesEval{}, fmt.Errorf("evaluate %s: %w", name, err)
	}

	cut, maxH := SplitPoint(len(series), cfg.TestFraction), slices.Max(cfg.Horizons)
	if cut < 2 || cut > len(series)-maxH {
		return SeriesEval{}, fmt.Errorf("evaluate %s: %w: %d steps leave no origin for horizon %d",
			name, ErrNoData, len(series), maxH)
	}
	for _, m := range models {
		if m.Horizon() < maxH {
			return SeriesEval{}, fmt.Errorf("evaluate %s: %s forecasts %d steps, horizon %d asked",
				name, m.Name(), m.Horizon(), maxH)
		}
		if m.MinHistory() > cut {
			return SeriesEval{}, fmt.Errorf("evaluate %s: %w: %s needs %d steps of history, the in-sample part has %d",
				name, ErrNoData, m.Name(), m.MinHistory(), cut)
		}
	}

	ev := SeriesEval{Name: name, Points: len(series), InSample: cut, NaiveScale: naiveScale(series[:cut])}
	sums := make([][]float64, len(models))
	for i := range sums {
		sums[i] = make([]float64, len(cfg.Horizons))
	}
	out := make([]float64, maxH)
	var buf []float64
	for t := cut; t+maxH <= len(series); t += cfg.Stride {
		ev.Origins++
		for i, m := range models {
			if cap(buf) < m.Horizon() {
				buf = make([]float64, m.Horizon())
			}
			m.Forecast(series[:t], buf[:m.Horizon()])
			copy(out, buf)
			for j, h := range cfg.Horizons {
				sums[i][j] += math.Abs(out[h-1] - series[t+h-1])
			}
		}
	}

	for i, m := range models {
		s := ModelScore{Model: m.Name(), MAE: sums[i]}
		for j := range s.MAE {
			s.MAE[j] /= float64(ev.Origins)
		}
		if ev.NaiveScale > 0 {
			for _, mae := range s.MAE {
				s.MASE = append(s.MASE, mae/ev.NaiveScale)
			}
		}
		ev.Scores = append(ev.Scores, s)
	}
	return ev, nil
}

// naiveScale is the in-sample MAE of the one-step naive forecast.
func naiveScale(in []float64) float64 {
	var s float64
	for t := 1; t < len(in); t++ {
		s += math.Abs(in[t] - in[t-1])
	}
	return s / float64(len(in)-1)
}

// FitBaselines returns the three baselines for one series, fitted on its
// in-sample part train only: last value, seasonal naive and Holt-Winters
// (parameters from FitHoltWinters), all with the given horizon and season
// (DaySteps when 0).
func FitBaselines(train []float64, horizon, season int) ([]SeriesForecaster, error) {
	hw, err := FitHoltWinters(train, season, horizon)
	if err != nil {
		return nil, fmt.Errorf("fit baselines: %w", err)
	}
	return []SeriesForecaster{
		LastValue{H: horizon},
		SeasonalNaive{H: horizon, Season: season},
		hw,
	}, nil
}

// AverageScores averages each model's MAE and MASE over evals, per horizon:
// a plain mean over series (each series weighs the same whatever its
// length); MASE leaves out series whose MASE is null. Models are matched by
// name, in the order of the first series; all evals must score the same
// models at the same horizons.
func AverageScores(evals []SeriesEval) ([]ModelScore, error) {
	if len(evals) == 0 {
		return nil, errors.New("average scores: no series")
	}

	var avg []ModelScore
	for i, first := range evals[0].Scores {
		a := ModelScore{Model: first.Model, MAE: make([]float64, len(first.MAE))}
		mase, n := make([]float64, len(first.MAE)), 0
		for _, ev := range evals {
			if len(ev.Scores) != len(evals[0].Scores) || ev.Scores[i].Model != first.Model ||
				len(ev.Scores[i].MAE) != len(first.MAE) {
				return nil, fmt.Errorf("average scores: series %s scores other models than %s", ev.Name, evals[0].Name)
			}
			s := ev.Scores[i]
			for j := range a.MAE {
				a.MAE[j] += s.MAE[j] / float64(len(evals))
			}
			if s.MASE != nil {
				n++
				for j := range mase {
					mase[j] += s.MASE[j]
				}
			}
		}
		if n > 0 {
			for j := range mase {
				mase[j] /= float64(n)
			}
			a.MASE = mase
		}
		avg = append(avg, a)
	}
	return avg, nil
}
