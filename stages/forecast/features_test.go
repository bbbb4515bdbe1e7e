package forecast

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	G "gorgonia.org/gorgonia"
)

var allFeatures = []string{FeatureDeltaLast, FeatureLevel, FeatureTimeOfDaySin, FeatureTimeOfDayCos, FeatureDayAgoAhead, FeatureSmoothedLevel}

// randomFeatureModel is randomModel with every optional feature and a short
// season.
// features default to allFeatures.
func randomFeatureModel(t testing.TB, hidden, horizon, season int, seed uint64, features ...string) *Model {
	t.Helper()
	if len(features) == 0 {
		features = allFeatures
	}
	cfg := TrainConfig{Series: [][]float64{{0}}, Hidden: hidden, Horizon: horizon, Seed: seed,
		Features: features, Season: season}
	cfg.SetDefaults()
	m := newUntrainedModel(cfg, rand.New(rand.NewPCG(seed, 7)))
	if err := m.checkShapes(); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestFillFeaturesReadsTimeAndDayAgo(t *testing.T) {
	const season, horizon = 50, 12
	m := randomFeatureModel(t, 4, horizon, season, 1, allFeatures[:5]...)
	if got, want := m.MinHistory(), InputSize+season-horizon; got != want {
		t.Fatalf("MinHistory %d, want %d", got, want)
	}
	hist := make([]float64, m.MinHistory())
	for i := range hist {
		hist[i] = float64(i)
	}
	// The last step is at 06:00 UTC; steps are 5 minutes.
	last := time.Date(2026, 1, 2, 6, 0, 0, 0, time.UTC)
	nf := len(m.Arch.Features)
	dst := make([]float64, InputSize*nf)
	m.fillFeatures(hist, unixSeconds(last), 300, dst)

	n, s := len(hist), m.Norm.scale(hist[len(hist)-InputSize:])
	lastRow := dst[(InputSize-1)*nf:]
	if math.Abs(lastRow[2]-1) > 1e-12 || math.Abs(lastRow[3]) > 1e-12 {
		t.Fatalf("06:00 gave sin %g cos %g, want 1 and 0", lastRow[2], lastRow[3])
	}
	firstRow := dst[:nf]
	wantAngle := 2 * math.Pi * (6*3600 - 23*300) / 86400
	if math.Abs(firstRow[2]-math.Sin(wantAngle)) > 1e-12 {
		t.Fatalf("first step sin %g, want %g", firstRow[2], math.Sin(wantAngle))
	}
	// day_ago_ahead at the last step is the value Season-Horizon steps
	// before it: a day before the step Horizon ahead.
	want := (hist[n-1+horizon-season] - hist[n-1]) / s
	if math.Abs(lastRow[4]-want) > 1e-12 {
		t.Fatalf("day_ago_ahead %g, want %g", lastRow[4], want)
	}
	// The oldest step reads the first value of the history: no look-ahead,
	// no read before the start.
	if want := (hist[0] - hist[n-1]) / s; math.Abs(firstRow[4]-want) > 1e-12 {
		t.Fatalf("first day_ago_ahead %g, want %g", firstRow[4], want)
	}
}

func TestFillFeaturesSmoothsLevel(t *testing.T) {
	m := randomFeatureModel(t, 4, 12, 288, 1, FeatureDeltaLast, FeatureLevel, FeatureSmoothedLevel)
	if got, want := m.MinHistory(), InputSize+ewmaWarmup; got != want {
		t.Fatalf("MinHistory %d, want %d", got, want)
	}
	// A flat history at 10 then a window at 30: the smoothed level starts
	// at 10 and moves towards 30 by 1/ewmaSteps of the gap each step.
	hist := make([]float64, m.MinHistory())
	for i := range hist {
		hist[i] = 10
		if i >= len(hist)-InputSize {
			hist[i] = 30
		}
	}
	dst := make([]float64, InputSize*3)
	m.fillFeatures(hist, 0, 300, dst)
	s := m.Norm.scale(hist[len(hist)-InputSize:])
	e := 10.0
	for t0 := range InputSize {
		e += (30 - e) / ewmaSteps
		if got, want := dst[t0*3+2], (e-30)/s; math.Abs(got-want) > 1e-12 {
			t.Fatalf("step %d: smoothed_level %g, want %g", t0, got, want)
		}
	}
}

func TestPredictAtMatchesGorgoniaWithOptionalFeatures(t *testing.T) {
	const season = 40
	models := map[string]*Model{
		"h32": randomFeatureModel(t, 32, 12, season, 5),
		"h7":  randomFeatureModel(t, 7, 3, season, 9),
	}
	rng := rand.New(rand.NewPCG(21, 22))
	for name, m := range models {
		for _, simd := range kernelChoices() {
			withKernels(m, simd)
			t.Run(fmt.Sprintf("%s simd=%v", name, simd), func(t *testing.T) {
				const batch = 8
				lg, err := buildGraph(m.Arch, &m.W, batch, "")
				if err != nil {
					t.Fatal(err)
				}
				vm := G.NewTapeMachine(lg.g)
				defer vm.Close()

				nf := len(m.Arch.Features)
				hists := make([][]float64, batch)
				lasts := make([]time.Time, batch)
				xs := make([]float64, batch*InputSize*nf)
				for i := range hists {
					hists[i] = randomHistory(rng, m.MinHistory()+rng.IntN(30))
					lasts[i] = time.Unix(1.7e9+rng.Int64N(1e6), 0)
					m.fillFeatures(hists[i], unixSeconds(lasts[i]), float64(m.Training.StepSeconds), xs[i*InputSize*nf:])
				}
				if err := lg.setInputs(xs, nil); err != nil {
					t.Fatal(err)
				}
				if err := vm.RunAll(); err != nil {
					t.Fatal(err)
				}
				raw := lg.out.Value().Data().([]float64)

				k := m.Horizon()
				got, want := make([]float64, k), make([]float64, k)
				for i, h := range hists {
					m.PredictAt(h, lasts[i], got)
					copy(want, raw[i*k:i*k+k])
					m.denormalise(h[len(h)-InputSize:], want)
					for j := range got {
						if d := math.Abs(got[j] - want[j]); !(d <= 1e-4) {
							t.Fatalf("history %d horizon %d: pure Go %.8f, gorgonia %.8f", i, j+1, got[j], want[j])
						}
					}
				}
			})
		}
		withKernels(m, simdKernels)
	}
}

func TestPredictAtDoesNotAllocate(t *testing.T) {
	m := randomFeatureModel(t, 32, 12, 288, 3)
	p := m.NewPredictor()
	hist := randomHistory(rand.New(rand.NewPCG(1, 2)), m.MinHistory())
	out := make([]float64, m.Horizon())
	last := time.Unix(1.7e9, 0)
	if n := testing.AllocsPerRun(100, func() { p.PredictAt(hist, last, out) }); n != 0 {
		t.Fatalf("PredictAt allocates %.1f times per call", n)
	}
}

func TestPredictPanicsOnDayAgoModel(t *testing.T) {
	m := randomFeatureModel(t, 4, 12, 288, 3)
	defer func() {
		if recover() == nil {
			t.Fatal("Predict on a day_ago_ahead model did not panic")
		}
	}()
	m.Predict(make([]float64, InputSize), make([]float64, m.Horizon()))
}

func TestCheckFeaturesRejectsBadLists(t *testing.T) {
	for _, fs := range [][]string{
		{FeatureLevel, FeatureDeltaLast},
		{FeatureDeltaLast, FeatureLevel, "weekday"},
		{FeatureDeltaLast, FeatureLevel, FeatureDayAgoAhead, FeatureDayAgoAhead},
	} {
		if err := checkFeatures(fs); err == nil {
			t.Errorf("features %q accepted", fs)
		}
	}
	if err := checkFeatures(allFeatures); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkPredictAtAllFeatures(b *testing.B) {
	m := randomFeatureModel(b, 32, 12, 288, 3)
	p := m.NewPredictor()
	hist := randomHistory(rand.New(rand.NewPCG(1, 2)), m.MinHistory())
	out := make([]float64, m.Horizon())
	last := time.Unix(1.7e9, 0)
	b.ReportAllocs()
	for b.Loop() {
		p.PredictAt(hist, last, out)
	}
}

func TestNewStageRejectsModelsItCannotFeed(t *testing.T) {
	for _, fs := range [][]string{
		{FeatureDeltaLast, FeatureLevel, FeatureDayAgoAhead},
		{FeatureDeltaLast, FeatureLevel, FeatureSmoothedLevel},
		{FeatureDeltaLast, FeatureLevel, FeatureTimeOfDaySin, FeatureTimeOfDayCos},
	} {
		m := randomFeatureModel(t, 4, 12, 288, 3, fs...)
		if _, err := NewStage(Config{}, m); err == nil {
			t.Errorf("NewStage accepted a model reading %q", fs)
		}
	}
}

func TestModelFileKeepsOptionalFeatures(t *testing.T) {
	m := randomFeatureModel(t, 8, 5, 60, 4)
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := ReadModel(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Arch.Features, allFeatures) || got.Arch.Season != 60 || got.Name() != "lstm-h8-tod-dayago-ewma-v1" {
		t.Fatalf("loaded features %q season %d name %s", got.Arch.Features, got.Arch.Season, got.Name())
	}
	hist := randomHistory(rand.New(rand.NewPCG(5, 6)), m.MinHistory())
	last := time.Unix(1.7e9, 0)
	a, b := make([]float64, 5), make([]float64, 5)
	m.PredictAt(hist, last, a)
	got.PredictAt(hist, last, b)
	if !slices.Equal(a, b) {
		t.Fatalf("saved model %v, loaded %v", a, b)
	}
}
