package forecast

import (
	"fmt"
	"math"
	"slices"
)

// FormatVersion is the version of the model file layout this package reads
// and writes. Files of any other version are refused with
// ErrFormatVersion.
const FormatVersion = 1

// InputSize is the number of aligned steps the model reads: the last 24
// steps of a host, oldest first.
const InputSize = 24

// Gate order inside the LSTM weights: input, forget, cell candidate, output.
const (
	gateI = iota
	gateF
	gateG
	gateO
	numGates
)

// Features names the base per-step inputs every LSTM sees, in order; a
// model may add optional ones after them (see features.go). The window is
// normalised per call (see Normalisation), then each step gives:
//
//   - "delta_last": (x - last) / DeltaScale, the step's distance from the
//     window's last value, so that "no change" is 0 and the head learns
//     a correction to the last-value forecast;
//   - "level": x / LevelScale, the absolute load, so the model can learn
//     that a host near 0 % or near 100 % behaves differently.
var Features = []string{"delta_last", "level"}

// Architecture describes the shapes of a model.
type Architecture struct {
	InputSize int      `json:"input_size"` // steps per window, always InputSize
	Hidden    int      `json:"hidden"`     // LSTM units
	Horizon   int      `json:"horizon"`    // outputs: horizons 1..Horizon steps
	Features  []string `json:"features"`   // per-step inputs, see Features
	// Season is the steps in a day at the training step, read by the
	// day_ago_ahead feature only (absent otherwise).
	Season int `json:"season,omitempty"`
}

// Normalisation says how a window is scaled before the LSTM and how its
// outputs are scaled back.
//
// Inputs: delta_last = (x - last) / s, level = x / LevelScale.
// Outputs: forecast[h] = last + s * y[h], clipped to
// [0, max(100, window max)].
//
// The delta scale s depends on Kind:
//
//   - "last_value_delta": s = DeltaScale, one scale for every host;
//   - "window_scaled_delta": s = max(mean |x[t] - x[t-1]| over the window,
//     DeltaScale), the window's own typical step change, floored at
//     DeltaScale so that a flat window does not divide by ~0. This makes
//     the model scale-free like MASE: a host that wobbles by 0.1 % and one
//     that swings by 10 % look the same to it.
type Normalisation struct {
	Kind       string  `json:"kind"`
	DeltaScale float64 `json:"delta_scale"`
	LevelScale float64 `json:"level_scale"`
}

// Normalisation kinds this version knows.
const (
	normKind       = "last_value_delta"
	normKindWindow = "window_scaled_delta"
)

// scale is the delta scale s for window (see Normalisation).
func (n Normalisation) scale(window []float64) float64 {
	if n.Kind != normKindWindow {
		return n.DeltaScale
	}
	var sum float64
	for t := 1; t < len(window); t++ {
		sum += math.Abs(window[t] - window[t-1])
	}
	return max(sum/float64(len(window)-1), n.DeltaScale)
}

// defaultNormalisation divides deltas by 10 (CPU moves of a few percent
// become O(0.1..1), a comfortable range for tanh units) and levels by 100.
func defaultNormalisation() Normalisation {
	return Normalisation{Kind: normKind, DeltaScale: 10, LevelScale: 100}
}

// Weights are the learnt parameters, row-major, one set per gate (see the
// gate order in this file): Wx[g] is Features x Hidden, Wh[g] Hidden x
// Hidden, B[g] Hidden; the dense head Wy is Hidden x Horizon, By Horizon.
type Weights struct {
	Wx [numGates][]float64 `json:"wx"`
	Wh [numGates][]float64 `json:"wh"`
	B  [numGates][]float64 `json:"b"`
	Wy []float64           `json:"wy"`
	By []float64           `json:"by"`
}

// TrainingSummary records what a model was trained on and how it did.
type TrainingSummary struct {
	Series []SeriesSummary `json:"series"`
	// StepSeconds is the step of the training series (300 for NAB).
	StepSeconds int64   `json:"step_seconds"`
	Epochs      int     `json:"epochs"`     // epochs run, early stopping included
	BestEpoch   int     `json:"best_epoch"` // 1-based epoch whose weights were kept
	Seed        uint64  `json:"seed"`
	Hidden      int     `json:"hidden"`
	BatchSize   int     `json:"batch_size"`
	LearnRate   float64 `json:"learning_rate"`
	// Loss is the training loss, "mse" or "mae"; empty in files written
	// before it was recorded (they were trained on MSE).
	Loss       string  `json:"loss,omitempty"`
	Validation Metrics `json:"validation"`
}

// SeriesSummary names one training series and its length in steps.
type SeriesSummary struct {
	Name   string `json:"name"`
	Points int    `json:"points"`
}

// Metrics are losses on held-out data.
type Metrics struct {
	// MSE is the mean squared error of the normalised outputs (the training
	// loss); MAE the mean absolute error in CPU percent, per horizon.
	MSE float64 `json:"mse"`
	// NormMAE is the mean absolute error of the normalised outputs, the
	// loss early stopping watches when training on LossMAE.
	NormMAE      float64   `json:"normalised_mae,omitempty"`
	MAEPercent   []float64 `json:"mae_percent"`
	LastValueMAE []float64 `json:"last_value_mae_percent"`
	Windows      int       `json:"windows"`
}

// Model is a trained LSTM forecaster. Get one from Train, ReadModel,
// LoadModel or DefaultModel (the zero value cannot predict). Treat it as
// immutable: the forward pass uses a packed copy of W made when the model
// was built, so editing the exported fields afterwards is not supported.
// Predict and PredictBatch are safe for concurrent use; a Predictor is the
// per-goroutine alternative.
type Model struct {
	Arch     Architecture
	Norm     Normalisation
	Training TrainingSummary
	W        Weights

	// packed holds the weights re-laid for the pure-Go forward pass; built
	// by prepare.
	packed packedWeights
	feats  featureSet
	pool   predictorPool
	name   string
}

// Name is the model's name as written into forecasts, e.g. "lstm-h32-v1".
func (m *Model) Name() string {
	if m.name != "" {
		return m.name
	}
	return modelName(m.Arch)
}

// modelName is "lstm-h<hidden>[-tod][-dayago][-ewma]-v<format>", the optional
// parts naming the optional features read (see features.go).
func modelName(a Architecture) string {
	extra := ""
	if slices.Contains(a.Features, FeatureTimeOfDaySin) || slices.Contains(a.Features, FeatureTimeOfDayCos) {
		extra += "-tod"
	}
	if slices.Contains(a.Features, FeatureDayAgoAhead) {
		extra += "-dayago"
	}
	if slices.Contains(a.Features, FeatureSmoothedLevel) {
		extra += "-ewma"
	}
	return fmt.Sprintf("lstm-h%d%s-v%d", a.Hidden, extra, FormatVersion)
}

// Horizon is the number of steps forecast per call.
func (m *Model) Horizon() int { return m.Arch.Horizon }

// checkShapes verifies that every weight has the length its architecture
// asks for.
func (m *Model) checkShapes() error {
	a := m.Arch
	if a.InputSize != InputSize {
		return fmt.Errorf("%w: input size %d, want %d", ErrShape, a.InputSize, InputSize)
	}
	if a.Hidden < 1 || a.Hidden > 1024 {
		return fmt.Errorf("%w: hidden %d outside 1..1024", ErrShape, a.Hidden)
	}
	if a.Horizon < 1 || a.Horizon > 1024 {
		return fmt.Errorf("%w: horizon %d outside 1..1024", ErrShape, a.Horizon)
	}
	if err := checkFeatures(a.Features); err != nil {
		return err
	}
	if slices.Contains(a.Features, FeatureDayAgoAhead) && (a.Season < a.Horizon || a.Season > 100000) {
		return fmt.Errorf("%w: season %d must be in horizon..100000 for %s", ErrShape, a.Season, FeatureDayAgoAhead)
	}
	if (m.Norm.Kind != normKind && m.Norm.Kind != normKindWindow) || !(m.Norm.DeltaScale > 0) || !(m.Norm.LevelScale > 0) {
		return fmt.Errorf("%w: normalisation %+v", ErrShape, m.Norm)
	}

	nf, h, k := len(a.Features), a.Hidden, a.Horizon
	for g := range numGates {
		if err := wantLen("wx", g, m.W.Wx[g], nf*h); err != nil {
			return err
		}
		if err := wantLen("wh", g, m.W.Wh[g], h*h); err != nil {
			return err
		}
		if err := wantLen("b", g, m.W.B[g], h); err != nil {
			return err
		}
	}
	if err := wantLen("wy", 0, m.W.Wy, h*k); err != nil {
		return err
	}
	return wantLen("by", 0, m.W.By, k)
}

func wantLen(name string, gate int, v []float64, n int) error {
	if len(v) != n {
		return fmt.Errorf("%w: %s[%d] has %d values, want %d", ErrShape, name, gate, len(v), n)
	}
	return nil
}
