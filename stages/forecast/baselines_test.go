package forecast

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

func TestSeasonalNaiveRepeatsLastSeason(t *testing.T) {
	history := []float64{9, 9, 1, 2, 3, 4} // season 4: last season is 1 2 3 4
	out := make([]float64, 6)
	SeasonalNaive{H: 6, Season: 4}.Forecast(history, out)
	want := []float64{1, 2, 3, 4, 1, 2}
	for i := range want {
		if out[i] != want[i] {
			t.Fatalf("got %v, want %v", out, want)
		}
	}
	if got := (SeasonalNaive{H: 1}).MinHistory(); got != DaySteps {
		t.Errorf("default season %d, want %d", got, DaySteps)
	}
}

func TestSeasonalNaivePanicsOnShortHistory(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for history shorter than a season")
		}
	}()
	SeasonalNaive{H: 1, Season: 4}.Forecast([]float64{1, 2, 3}, make([]float64, 1))
}

// seasonalTrend is level + slope*t + a season of period steps, noiseless
// when noise is 0.
func seasonalTrend(n, period int, slope, noise float64, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 11))
	s := make([]float64, n)
	for i := range s {
		s[i] = 40 + slope*float64(i) + 15*math.Sin(2*math.Pi*float64(i)/float64(period)) + noise*rng.NormFloat64()
	}
	return s
}

func TestHoltWintersTracksNoiselessSeasonAndTrend(t *testing.T) {
	const period = 24
	s := seasonalTrend(20*period, period, 0.01, 0, 1)
	hw := &HoltWinters{Alpha: 0.3, Beta: 0.05, Gamma: 0.2, Season: period, H: 12}

	out := make([]float64, 12)
	hw.Forecast(s[:18*period], out)
	for h, v := range out {
		if want := s[18*period+h]; math.Abs(v-want) > 0.1 {
			t.Errorf("h%d: forecast %.4f, want %.4f", h+1, v, want)
		}
	}
}

func TestFitHoltWintersBeatsNaiveOnNoisySeason(t *testing.T) {
	const period = 48
	s := seasonalTrend(12*period, period, 0, 2, 2)
	cut := 9 * period

	hw, err := FitHoltWinters(s[:cut], period, 12)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []float64{hw.Alpha, hw.Beta, hw.Gamma} {
		if p < 0 || p > 1 {
			t.Fatalf("parameters %+v outside [0, 1]", hw)
		}
	}
	fixed := &HoltWinters{Alpha: 0.9, Beta: 0.2, Gamma: 0.4, Season: period}
	if hw.SSE(s[:cut]) > fixed.SSE(s[:cut]) {
		t.Errorf("fitted SSE %.1f worse than an arbitrary grid point's %.1f", hw.SSE(s[:cut]), fixed.SSE(s[:cut]))
	}

	ev, err := EvaluateSeries("noisy", s, []SeriesForecaster{hw, LastValue{H: 12}}, EvalConfig{TestFraction: 0.25})
	if err != nil {
		t.Fatal(err)
	}
	hwMAE, lvMAE := ev.Scores[0].MAE, ev.Scores[1].MAE
	for i := range hwMAE {
		if hwMAE[i] >= lvMAE[i] {
			t.Errorf("horizon %d: holt-winters MAE %.3f not below last value %.3f on a seasonal series",
				i, hwMAE[i], lvMAE[i])
		}
	}
}

func TestFitHoltWintersNeedsThreeSeasons(t *testing.T) {
	_, err := FitHoltWinters(make([]float64, 3*10-1), 10, 1)
	if !errors.Is(err, ErrNoData) {
		t.Errorf("err %v, want ErrNoData", err)
	}
}

func TestHoltWintersNeverForecastsNegative(t *testing.T) {
	s := make([]float64, 100)
	for i := range s {
		s[i] = max(0, 50-float64(i)) // falls to 0 and stays: trend points below 0
	}
	out := make([]float64, 12)
	(&HoltWinters{Alpha: 0.9, Beta: 0.9, Gamma: 0, Season: 10, H: 12}).Forecast(s[:55], out)
	for h, v := range out {
		if v < 0 {
			t.Fatalf("h%d forecast %g below 0", h+1, v)
		}
	}
}
