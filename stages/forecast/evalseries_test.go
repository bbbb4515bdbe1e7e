package forecast

import (
	"errors"
	"math"
	"testing"
)

func TestEvaluateSeriesLastValueOnRamp(t *testing.T) {
	// A ramp of +1 a step: last value is off by h at horizon h, and the
	// in-sample naive MAE is 1, so MASE equals MAE.
	s := make([]float64, 100)
	for i := range s {
		s[i] = float64(i)
	}
	ev, err := EvaluateSeries("ramp", s, []SeriesForecaster{LastValue{H: 6}}, EvalConfig{Horizons: []int{1, 6}})
	if err != nil {
		t.Fatal(err)
	}
	if ev.InSample != 80 || ev.Origins != 100-80-6+1 || ev.NaiveScale != 1 {
		t.Fatalf("in-sample %d origins %d scale %g", ev.InSample, ev.Origins, ev.NaiveScale)
	}
	sc := ev.Scores[0]
	if sc.Model != "last_value" || sc.MAE[0] != 1 || sc.MAE[1] != 6 || sc.MASE[1] != 6 {
		t.Errorf("scores %+v, want MAE and MASE 1 and 6", sc)
	}
}

// peekModel records the shortest and longest history it was given, to pin
// that the evaluation starts at the split and never shows a model the steps
// it is scored on.
type peekModel struct {
	LastValue
	minSeen, maxSeen int
}

func (p *peekModel) Forecast(history, out []float64) {
	p.minSeen = min(p.minSeen, len(history))
	p.maxSeen = max(p.maxSeen, len(history))
	p.LastValue.Forecast(history, out)
}

func TestEvaluateSeriesShowsOnlyThePast(t *testing.T) {
	s := sineSeries(500, 50, 1)
	p := &peekModel{LastValue: LastValue{H: 3}, minSeen: math.MaxInt}
	ev, err := EvaluateSeries("sine", s, []SeriesForecaster{p}, EvalConfig{Horizons: []int{3}})
	if err != nil {
		t.Fatal(err)
	}
	if p.minSeen != 400 || p.maxSeen != 500-3 {
		t.Errorf("histories of %d..%d steps, want 400 (the in-sample part) to 497 (the last origin whose h3 target exists)",
			p.minSeen, p.maxSeen)
	}
	if ev.Origins != 98 {
		t.Errorf("origins %d, want 98", ev.Origins)
	}
}

func TestEvaluateSeriesFlatInSampleHasNoMASE(t *testing.T) {
	s := make([]float64, 60)
	for i := 48; i < 60; i++ {
		s[i] = float64(i)
	}
	ev, err := EvaluateSeries("flat", s, []SeriesForecaster{LastValue{H: 1}}, EvalConfig{Horizons: []int{1}})
	if err != nil {
		t.Fatal(err)
	}
	if ev.NaiveScale != 0 || ev.Scores[0].MASE != nil {
		t.Errorf("scale %g mase %v, want 0 and nil", ev.NaiveScale, ev.Scores[0].MASE)
	}
}

func TestEvaluateSeriesRejectsBadInput(t *testing.T) {
	s := sineSeries(300, 24, 1)
	cases := map[string]struct {
		models []SeriesForecaster
		cfg    EvalConfig
	}{
		"horizon beyond model":    {[]SeriesForecaster{LastValue{H: 3}}, EvalConfig{Horizons: []int{6}}},
		"season longer than head": {[]SeriesForecaster{SeasonalNaive{H: 1, Season: 250}}, EvalConfig{Horizons: []int{1}}},
		"horizon 0":               {[]SeriesForecaster{LastValue{H: 3}}, EvalConfig{Horizons: []int{0}}},
		"test fraction 1":         {[]SeriesForecaster{LastValue{H: 3}}, EvalConfig{TestFraction: 1}},
		"tail shorter than h":     {[]SeriesForecaster{LastValue{H: 100}}, EvalConfig{Horizons: []int{100}}},
	}
	for name, c := range cases {
		if _, err := EvaluateSeries("x", s, c.models, c.cfg); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := EvaluateSeries("x", s[:5], []SeriesForecaster{LastValue{H: 1}}, EvalConfig{}); !errors.Is(err, ErrNoData) {
		t.Errorf("short series: err %v, want ErrNoData", err)
	}
}

func TestEvaluateSeriesWindowedModelMatchesEvaluate(t *testing.T) {
	m := randomModel(t, 8, 6, 3)
	s := sineSeries(400, 48, 2)
	ev, err := EvaluateSeries("sine", s, []SeriesForecaster{Windowed{F: m}}, EvalConfig{Horizons: []int{1, 6}})
	if err != nil {
		t.Fatal(err)
	}
	// Evaluate over the same origins: windows ending at each origin - 1.
	want, err := Evaluate(m, s[ev.InSample-InputSize:], []int{1, 6})
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if math.Abs(ev.Scores[0].MAE[i]-want[i]) > 1e-12 {
			t.Errorf("horizon %d: EvaluateSeries %g, Evaluate %g", i, ev.Scores[0].MAE[i], want[i])
		}
	}
}

func TestReportAveragesPerFormatAndOverall(t *testing.T) {
	mk := func(name, format string, mae, mase float64, noMASE bool) SeriesEval {
		s := ModelScore{Model: "m", MAE: []float64{mae}, MASE: []float64{mase}}
		if noMASE {
			s.MASE = nil
		}
		return SeriesEval{Name: name, Format: format, Scores: []ModelScore{s}}
	}
	r := EvalReport{Series: []SeriesEval{
		mk("a", "nab_csv", 1, 2, false),
		mk("b", "bitbrains", 3, 4, false),
		mk("c", "nab_csv", 5, 0, true),
	}}
	if err := r.Summarise(); err != nil {
		t.Fatal(err)
	}
	if got := r.Average[0]; got.MAE[0] != 3 || got.MASE[0] != 3 {
		t.Errorf("overall %+v, want MAE 3 and MASE 3 (flat series left out)", got)
	}
	if len(r.ByFormat) != 2 || r.ByFormat[0].Format != "nab_csv" || r.ByFormat[0].Series != 2 ||
		r.ByFormat[0].Average[0].MAE[0] != 3 || r.ByFormat[0].Average[0].MASE[0] != 2 {
		t.Errorf("by format %+v", r.ByFormat)
	}

	r.Series[1].Scores[0].Model = "other"
	if err := r.Summarise(); err == nil {
		t.Error("mismatched models averaged without error")
	}
}
