package forecast

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
)

// tinyConfig trains a small model on two noisy cycles in about a second.
func tinyConfig() TrainConfig {
	return TrainConfig{
		Series:    [][]float64{sineSeries(240, 24, 1), sineSeries(240, 24, 2)},
		Names:     []string{"a", "b"},
		Hidden:    4,
		Horizon:   3,
		Epochs:    2,
		BatchSize: 32,
		Seed:      42,
	}
}

func TestTrainSameSeedSameWeights(t *testing.T) {
	a, err := Train(context.Background(), tinyConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Train(context.Background(), tinyConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(encodeModel(t, a), encodeModel(t, b)) {
		t.Fatal("two runs with the same seed gave different model files")
	}

	cfg := tinyConfig()
	cfg.Seed = 43
	c, err := Train(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(encodeModel(t, a), encodeModel(t, c)) {
		t.Fatal("seeds 42 and 43 gave the same model file")
	}
}

func TestTrainRecordsSummaryAndProgress(t *testing.T) {
	var progress bytes.Buffer
	m, err := Train(context.Background(), tinyConfig(), &progress)
	if err != nil {
		t.Fatal(err)
	}

	tr := m.Training
	if len(tr.Series) != 2 || tr.Series[1] != (SeriesSummary{Name: "b", Points: 240}) {
		t.Errorf("series summary %+v", tr.Series)
	}
	if tr.Epochs != 2 || tr.BestEpoch < 1 || tr.BestEpoch > 2 || tr.Seed != 42 {
		t.Errorf("summary %+v", tr)
	}
	v := tr.Validation
	if v.Windows == 0 || len(v.MAEPercent) != 3 || !(v.MSE > 0) || math.IsInf(v.MSE, 0) {
		t.Errorf("validation %+v", v)
	}
	for _, want := range []string{"epoch 1/2  train_mae", "epoch 2/2  train_mae", "val_mae"} {
		if !strings.Contains(progress.String(), want) {
			t.Errorf("progress lacks %q:\n%s", want, progress.String())
		}
	}
}

// TestTrainBeatsLastValueOnCycle checks that training learns something: on
// a clean cycle the last value lags, and the trained model must not.
func TestTrainBeatsLastValueOnCycle(t *testing.T) {
	cfg := tinyConfig()
	cfg.Series = [][]float64{sineSeries(1200, 24, 1)}
	cfg.Names = nil
	cfg.Hidden, cfg.Horizon, cfg.Epochs = 8, 6, 15
	cfg.LearningRate = 0.01
	// The MSE loss and the fixed scale, the layout of older models; the
	// defaults are covered by TestTrainMAEWindowScaledLearnsCycle.
	cfg.Loss, cfg.Normalisation = LossMSE, "last_value_delta"
	m, err := Train(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}

	v := m.Training.Validation
	t.Logf("validation MAE h1 %.2f h6 %.2f; last value %.2f / %.2f",
		v.MAEPercent[0], v.MAEPercent[5], v.LastValueMAE[0], v.LastValueMAE[5])
	if v.MAEPercent[5] > 0.7*v.LastValueMAE[5] {
		t.Errorf("MAE at h6 %.2f, last value %.2f: the model did not learn the cycle", v.MAEPercent[5], v.LastValueMAE[5])
	}
}

func TestTrainSplitHasNoLookAhead(t *testing.T) {
	cfg := tinyConfig()
	cfg.SetDefaults()
	train, val := splitWindows(cfg)
	for _, s := range train {
		cut := int(float64(len(cfg.Series[s.s])) * (1 - cfg.ValidationFraction))
		if last := s.start + InputSize + cfg.Horizon - 1; last >= cut {
			t.Fatalf("training window %+v reaches step %d, past the cut %d", s, last, cut)
		}
	}
	for _, s := range val {
		cut := int(float64(len(cfg.Series[s.s])) * (1 - cfg.ValidationFraction))
		if first := s.start + InputSize; first < cut {
			t.Fatalf("validation window %+v has a target at step %d, before the cut %d", s, first, cut)
		}
	}
	if len(train) == 0 || len(val) == 0 {
		t.Fatalf("%d training and %d validation windows", len(train), len(val))
	}
}

func TestTrainTooLittleData(t *testing.T) {
	cfg := tinyConfig()
	cfg.Series = [][]float64{sineSeries(30, 24, 1)} // 24 training steps: no 27-step window fits
	cfg.Names = nil
	if _, err := Train(context.Background(), cfg, nil); !errors.Is(err, ErrNoData) {
		t.Fatalf("err = %v, want ErrNoData", err)
	}
}

func TestTrainStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Train(ctx, tinyConfig(), io.Discard); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestTrainConfigValidate(t *testing.T) {
	bad := map[string]func(*TrainConfig){
		"no series":         func(c *TrainConfig) { c.Series = nil },
		"names mismatch":    func(c *TrainConfig) { c.Names = []string{"x"} },
		"negative hidden":   func(c *TrainConfig) { c.Hidden = -1 },
		"validation of one": func(c *TrainConfig) { c.ValidationFraction = 1 },
		"negative rate":     func(c *TrainConfig) { c.LearningRate = -0.1 },
		"unknown loss":      func(c *TrainConfig) { c.Loss = "huber" },
		"unknown norm":      func(c *TrainConfig) { c.Normalisation = "z_score" },
	}
	for name, edit := range bad {
		t.Run(name, func(t *testing.T) {
			cfg := tinyConfig()
			edit(&cfg)
			cfg.SetDefaults()
			if err := cfg.Validate(); err == nil {
				t.Fatal("Validate accepted it")
			}
		})
	}

	cfg := tinyConfig()
	cfg.SetDefaults()
	if err := cfg.Validate(); err != nil {
		t.Fatalf("tiny config: %v", err)
	}
}

// TestTrainMAEWindowScaledLearnsCycle trains with the MAE loss and the
// window-scaled normalisation: the model must still learn a cycle, record
// its loss and normalisation, survive a file round trip, and its pure-Go
// forward pass must match gorgonia's.
func TestTrainMAEWindowScaledLearnsCycle(t *testing.T) {
	cfg := tinyConfig()
	cfg.Series = [][]float64{sineSeries(1200, 24, 1)}
	cfg.Names = nil
	cfg.Hidden, cfg.Horizon, cfg.Epochs = 8, 6, 15
	cfg.LearningRate = 0.01
	cfg.Loss, cfg.Normalisation = LossMAE, "window_scaled_delta"
	var progress strings.Builder
	m, err := Train(context.Background(), cfg, &progress)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(progress.String(), "train_mae") {
		t.Errorf("progress does not name the MAE loss:\n%s", progress.String())
	}

	v := m.Training.Validation
	if v.MAEPercent[5] > 0.7*v.LastValueMAE[5] || !(v.NormMAE > 0) {
		t.Errorf("MAE at h6 %.2f, last value %.2f, normalised MAE %g: the model did not learn the cycle",
			v.MAEPercent[5], v.LastValueMAE[5], v.NormMAE)
	}

	back, err := ReadModel(bytes.NewReader(encodeModel(t, m)))
	if err != nil {
		t.Fatal(err)
	}
	if back.Norm.Kind != "window_scaled_delta" || back.Training.Loss != LossMAE {
		t.Fatalf("round trip: normalisation %q loss %q", back.Norm.Kind, back.Training.Loss)
	}

	windows := [][]float64{cfg.Series[0][100:124], cfg.Series[0][500:524], make([]float64, InputSize)}
	want := gorgoniaForward(t, back, windows)
	out := make([]float64, 6)
	for i, w := range windows {
		back.Predict(w, out)
		for h := range out {
			if d := math.Abs(out[h] - want[i][h]); !(d <= 1e-4) {
				t.Fatalf("window %d h%d: pure Go %.6f, gorgonia %.6f", i, h+1, out[h], want[i][h])
			}
		}
	}
}

func TestWindowScaleIsMeanStepChangeWithFloor(t *testing.T) {
	n := Normalisation{Kind: "window_scaled_delta", DeltaScale: 0.05, LevelScale: 100}
	w := make([]float64, InputSize)
	for i := range w {
		w[i] = float64(i % 2 * 3) // 0 3 0 3 ...: every step changes by 3
	}
	if got := n.scale(w); got != 3 {
		t.Errorf("scale %g, want 3", got)
	}
	if got := n.scale(make([]float64, InputSize)); got != 0.05 {
		t.Errorf("flat window scale %g, want the 0.05 floor", got)
	}
	if got := defaultNormalisation().scale(w); got != 10 {
		t.Errorf("last_value_delta scale %g, want its fixed 10", got)
	}
}
