package forecast

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/schollz/progressbar/v3"
	G "gorgonia.org/gorgonia"
)

// TrainConfig configures Train. Zero fields take the defaults written in
// their docs (see SetDefaults).
type TrainConfig struct {
	// Series are the training series, CPU percent at the model step, oldest
	// first, without gaps. Required.
	Series [][]float64
	// Names names Series for the model's training summary; optional.
	Names []string
	// StepSeconds is the step of Series, recorded in the model; default 300
	// (the NAB traces' 5 minutes).
	StepSeconds int64

	Hidden  int // LSTM units; default 32
	Horizon int // steps forecast in one pass; default 12

	Epochs       int     // maximum epochs; default 30
	BatchSize    int     // windows per Adam step; default 128
	LearningRate float64 // Adam's step size; default 0.002
	Seed         uint64  // seeds weight init and shuffling; default 1

	// ValidationFraction is the tail of every series held out for
	// validation and early stopping; default 0.2.
	ValidationFraction float64
	// Patience is how many epochs without a better validation loss are
	// tolerated before stopping; default 4.
	Patience int
	// Stride is the distance in steps between consecutive training windows;
	// default 1 (every window).
	Stride int

	// Loss is the training loss on the normalised outputs: LossMAE
	// (default) or LossMSE. MAE aims at the median of the next steps, which
	// is what MAE and MASE reward on spiky CPU series; MSE aims at the mean
	// and scored far worse in the rolling-origin evaluation.
	Loss string
	// Features are the per-step inputs: Features (the default) followed
	// by any optional ones of features.go.
	Features []string
	// Starts are the times of the first step of each series, needed by
	// the time-of-day features; optional otherwise.
	Starts []time.Time
	// Season is the steps in a day, read by day_ago_ahead; default
	// 86400 / StepSeconds.
	Season int

	// Normalisation is the Normalisation.Kind: "window_scaled_delta"
	// (default; deltas divided by the window's mean step change, at least
	// 0.05 %) or "last_value_delta" (deltas divided by a fixed 10 %, the
	// layout of models written before the choice existed).
	Normalisation string
}

// Training losses (TrainConfig.Loss).
const (
	LossMSE = "mse"
	LossMAE = "mae"
)

// SetDefaults fills zero fields with their defaults.
func (c *TrainConfig) SetDefaults() {
	if c.StepSeconds == 0 {
		c.StepSeconds = 300
	}
	if c.Hidden == 0 {
		c.Hidden = 32
	}
	if c.Horizon == 0 {
		c.Horizon = 12
	}
	if c.Epochs == 0 {
		c.Epochs = 30
	}
	if c.BatchSize == 0 {
		c.BatchSize = 128
	}
	if c.LearningRate == 0 {
		c.LearningRate = 0.002
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	if c.ValidationFraction == 0 {
		c.ValidationFraction = 0.2
	}
	if c.Patience == 0 {
		c.Patience = 4
	}
	if c.Stride == 0 {
		c.Stride = 1
	}
	if c.Loss == "" {
		c.Loss = LossMAE
	}
	if c.Normalisation == "" {
		c.Normalisation = normKindWindow
	}
	if len(c.Features) == 0 {
		c.Features = append([]string(nil), Features...)
	}
	if c.Season == 0 && c.StepSeconds > 0 {
		c.Season = int(86400 / c.StepSeconds)
	}
}

// Validate checks the fields' ranges; call after SetDefaults.
func (c *TrainConfig) Validate() error {
	switch {
	case len(c.Series) == 0:
		return errors.New("no training series")
	case len(c.Names) != 0 && len(c.Names) != len(c.Series):
		return fmt.Errorf("%d names for %d series", len(c.Names), len(c.Series))
	case c.Hidden < 1 || c.Hidden > 1024:
		return fmt.Errorf("hidden %d outside 1..1024", c.Hidden)
	case c.Horizon < 1 || c.Horizon > 1024:
		return fmt.Errorf("horizon %d outside 1..1024", c.Horizon)
	case c.Epochs < 1:
		return fmt.Errorf("epochs %d below 1", c.Epochs)
	case c.BatchSize < 1:
		return fmt.Errorf("batch size %d below 1", c.BatchSize)
	case !(c.LearningRate > 0):
		return fmt.Errorf("learning rate %g not positive", c.LearningRate)
	case !(c.ValidationFraction > 0 && c.ValidationFraction < 1):
		return fmt.Errorf("validation fraction %g outside (0, 1)", c.ValidationFraction)
	case c.Patience < 1:
		return fmt.Errorf("patience %d below 1", c.Patience)
	case c.Stride < 1:
		return fmt.Errorf("stride %d below 1", c.Stride)
	case c.Loss != LossMSE && c.Loss != LossMAE:
		return fmt.Errorf("loss %q: want %q or %q", c.Loss, LossMSE, LossMAE)
	case c.Normalisation != normKind && c.Normalisation != normKindWindow:
		return fmt.Errorf("normalisation %q: want %q or %q", c.Normalisation, normKind, normKindWindow)
	case slices.Contains(c.Features, FeatureDayAgoAhead) && c.Season < c.Horizon:
		return fmt.Errorf("season %d below horizon %d", c.Season, c.Horizon)
	case (slices.Contains(c.Features, FeatureTimeOfDaySin) || slices.Contains(c.Features, FeatureTimeOfDayCos)) &&
		len(c.Starts) != len(c.Series):
		return fmt.Errorf("time-of-day features need the start of each series: %d starts for %d series", len(c.Starts), len(c.Series))
	}
	return checkFeatures(c.Features)
}

// sample is one window: the InputSize steps of series s from start, and
// the Horizon steps after them as targets.
type sample struct{ s, start int }

// Train fits a model on cfg.Series with Adam on the MSE of the normalised
// outputs, and keeps the weights of the epoch with the lowest validation
// loss.
//
// Each series is split by time: windows whose targets all lie in the first
// 1-ValidationFraction of the series train; windows whose targets all lie
// after it validate (their inputs may reach back into the training part,
// which is history, not look-ahead). Training stops after Epochs, or after
// Patience epochs without a better validation loss. The same cfg (Seed
// included) gives the same weights.
//
// A progress bar and one line per epoch (train and validation loss, MAE at
// horizon 1 and Horizon) go to progress when it is not nil. Cancelling ctx
// stops training between batches and returns ctx's error.
func Train(ctx context.Context, cfg TrainConfig, progress io.Writer) (*Model, error) {
	cfg.SetDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	if progress == nil {
		progress = io.Discard
	}

	trainSet, valSet := splitWindows(cfg)
	if len(trainSet) == 0 || len(valSet) == 0 {
		return nil, fmt.Errorf("train: %w: %d training and %d validation windows (need series of at least %d steps)",
			ErrNoData, len(trainSet), len(valSet), minSeriesLen(cfg))
	}

	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5ca1a0))
	m := newUntrainedModel(cfg, rng)

	batch := min(cfg.BatchSize, len(trainSet))
	lg, err := buildGraph(m.Arch, &m.W, batch, cfg.Loss)
	if err != nil {
		return nil, fmt.Errorf("train: build graph: %w", err)
	}
	if _, err := G.Grad(lg.cost, lg.learn...); err != nil {
		return nil, fmt.Errorf("train: gradients: %w", err)
	}
	vm := G.NewTapeMachine(lg.g, G.BindDualValues(lg.learn...))
	defer vm.Close()
	solver := G.NewAdamSolver(G.WithLearnRate(cfg.LearningRate), G.WithClip(5))

	t := &trainer{cfg: cfg, m: m, lg: lg, vm: vm, solver: solver, rng: rng, out: progress}
	if err := t.run(ctx, trainSet, valSet); err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	return m, nil
}

func minSeriesLen(cfg TrainConfig) int {
	return int(math.Ceil(float64(InputSize+2*cfg.Horizon) / cfg.ValidationFraction))
}

// splitWindows cuts every series into training and validation windows.
//
// With day_ago_ahead (smoothed_level), windows start no earlier than
// Season-Horizon (ewmaWarmup) steps into a series, so that the history
// those features read exists.
func splitWindows(cfg TrainConfig) (train, val []sample) {
	span := InputSize + cfg.Horizon
	first := historyBefore(cfg.Features, cfg.Season, cfg.Horizon)
	for s, series := range cfg.Series {
		cut := int(float64(len(series)) * (1 - cfg.ValidationFraction))
		for start := first; start+span <= cut; start += cfg.Stride {
			train = append(train, sample{s, start})
		}
		// Validation targets start at the cut or later.
		for start := max(cut-InputSize, first); start+span <= len(series); start++ {
			val = append(val, sample{s, start})
		}
	}
	return train, val
}

// newUntrainedModel initialises weights with Glorot-uniform matrices, zero
// biases and a forget-gate bias of 1 (so the cell remembers at first).
func newUntrainedModel(cfg TrainConfig, rng *rand.Rand) *Model {
	nf, h, k := len(cfg.Features), cfg.Hidden, cfg.Horizon
	glorot := func(rows, cols int) []float64 {
		lim := math.Sqrt(6 / float64(rows+cols))
		v := make([]float64, rows*cols)
		for i := range v {
			v[i] = (2*rng.Float64() - 1) * lim
		}
		return v
	}

	m := &Model{
		Arch: Architecture{InputSize: InputSize, Hidden: h, Horizon: k, Features: append([]string(nil), cfg.Features...)},
		Norm: defaultNormalisation(),
	}
	if cfg.Normalisation == normKindWindow {
		m.Norm = Normalisation{Kind: normKindWindow, DeltaScale: 0.05, LevelScale: 100}
	}
	for g := range numGates {
		m.W.Wx[g] = glorot(nf, h)
		m.W.Wh[g] = glorot(h, h)
		m.W.B[g] = make([]float64, h)
	}
	for j := range h {
		m.W.B[gateF][j] = 1
	}
	if slices.Contains(cfg.Features, FeatureDayAgoAhead) {
		m.Arch.Season = cfg.Season
	}
	m.W.Wy = glorot(h, k)
	m.W.By = make([]float64, k)

	m.Training = TrainingSummary{
		StepSeconds: cfg.StepSeconds, Seed: cfg.Seed, Hidden: h,
		BatchSize: cfg.BatchSize, LearnRate: cfg.LearningRate, Loss: cfg.Loss,
	}
	for i, s := range cfg.Series {
		name := fmt.Sprintf("series-%d", i)
		if len(cfg.Names) > 0 {
			name = cfg.Names[i]
		}
		m.Training.Series = append(m.Training.Series, SeriesSummary{Name: name, Points: len(s)})
	}
	m.prepare()
	return m
}

// trainer holds the state of one Train call.
type trainer struct {
	cfg    TrainConfig
	m      *Model
	lg     *lstmGraph
	vm     G.VM
	solver G.Solver
	rng    *rand.Rand
	out    io.Writer
}

func (t *trainer) run(ctx context.Context, trainSet, valSet []sample) error {
	best := math.Inf(1)
	var bestW Weights
	var bestMetrics Metrics
	stale := 0

	for epoch := 1; epoch <= t.cfg.Epochs; epoch++ {
		began := time.Now()
		trainLoss, err := t.epoch(ctx, epoch, trainSet)
		if err != nil {
			return fmt.Errorf("epoch %d: %w", epoch, err)
		}

		t.lg.readWeights(&t.m.W)
		t.m.prepare()
		metrics := evaluateWindows(t.m, t.cfg, valSet)
		t.m.Training.Epochs = epoch
		valLoss := metrics.MSE
		if t.cfg.Loss == LossMAE {
			valLoss = metrics.NormMAE
		}
		fmt.Fprintf(t.out, "epoch %d/%d  train_%s %.5f  val_%s %.5f  val_mae h1 %.3f h%d %.3f (last value %.3f / %.3f)  %s\n",
			epoch, t.cfg.Epochs, t.cfg.Loss, trainLoss, t.cfg.Loss, valLoss,
			metrics.MAEPercent[0], t.cfg.Horizon, metrics.MAEPercent[t.cfg.Horizon-1],
			metrics.LastValueMAE[0], metrics.LastValueMAE[t.cfg.Horizon-1],
			time.Since(began).Round(time.Millisecond))

		if valLoss < best {
			best, bestMetrics, stale = valLoss, metrics, 0
			bestW = cloneWeights(&t.m.W)
			t.m.Training.BestEpoch = epoch
			continue
		}
		if stale++; stale >= t.cfg.Patience {
			fmt.Fprintf(t.out, "early stop: no better validation loss for %d epochs, keeping epoch %d\n",
				stale, t.m.Training.BestEpoch)
			break
		}
	}

	if t.m.Training.BestEpoch == 0 {
		// Every validation loss was NaN: the weights blew up.
		return errors.New("training diverged: validation loss was NaN in every epoch; lower the learning rate")
	}
	t.m.W = bestW
	t.m.Training.Validation = bestMetrics
	t.m.prepare()
	return nil
}

// epoch runs one pass over the shuffled training windows and returns the
// mean batch loss. The tail that does not fill a batch is skipped; it
// differs from epoch to epoch because of the shuffle.
func (t *trainer) epoch(ctx context.Context, epoch int, trainSet []sample) (float64, error) {
	t.rng.Shuffle(len(trainSet), func(i, j int) { trainSet[i], trainSet[j] = trainSet[j], trainSet[i] })

	b, k, nf := t.lg.batch, t.cfg.Horizon, t.lg.nf
	batches := len(trainSet) / b
	bar := progressbar.NewOptions(batches,
		progressbar.OptionSetWriter(t.out),
		progressbar.OptionSetDescription(fmt.Sprintf("epoch %d/%d", epoch, t.cfg.Epochs)),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(250*time.Millisecond),
	)
	defer bar.Close()

	xs := make([]float64, b*InputSize*nf)
	var sum float64
	for n := range batches {
		if err := ctx.Err(); err != nil {
			return 0, err
		}

		ys := make([]float64, b*k) // the graph keeps a reference to it
		for i, smp := range trainSet[n*b : n*b+b] {
			s := t.cfg.Series[smp.s]
			w := s[smp.start : smp.start+InputSize]
			t.m.fillFeatures(s[:smp.start+InputSize], t.cfg.lastUnix(smp), float64(t.cfg.StepSeconds), xs[i*InputSize*nf:])
			last, ds := w[InputSize-1], t.m.Norm.scale(w)
			for h := range k {
				ys[i*k+h] = (s[smp.start+InputSize+h] - last) / ds
			}
		}
		if err := t.lg.setInputs(xs, ys); err != nil {
			return 0, err
		}

		if err := t.vm.RunAll(); err != nil {
			return 0, fmt.Errorf("batch %d: %w", n, err)
		}
		sum += t.lg.cost.Value().Data().(float64)
		if err := t.solver.Step(G.NodesToValueGrads(t.lg.learn)); err != nil {
			return 0, fmt.Errorf("batch %d: adam: %w", n, err)
		}
		t.vm.Reset()
		_ = bar.Add(1)
	}
	return sum / float64(batches), nil
}

// lastUnix is the Unix time of the last input step of smp, 0 without
// Starts.
func (c *TrainConfig) lastUnix(smp sample) float64 {
	if len(c.Starts) == 0 {
		return 0
	}
	return unixSeconds(c.Starts[smp.s]) + float64((smp.start+InputSize-1)*int(c.StepSeconds))
}

func cloneWeights(w *Weights) Weights {
	var c Weights
	for g := range numGates {
		c.Wx[g] = append([]float64(nil), w.Wx[g]...)
		c.Wh[g] = append([]float64(nil), w.Wh[g]...)
		c.B[g] = append([]float64(nil), w.B[g]...)
	}
	c.Wy = append([]float64(nil), w.Wy...)
	c.By = append([]float64(nil), w.By...)
	return c
}

// evaluateWindows scores m on the given windows: MSE of the normalised
// outputs, and MAE in percent per horizon for m and for the last value.
func evaluateWindows(m *Model, cfg TrainConfig, set []sample) Metrics {
	series := cfg.Series
	k := m.Arch.Horizon
	p := m.NewPredictor()
	raw := make([]float64, k)
	out := make([]float64, k)
	met := Metrics{MAEPercent: make([]float64, k), LastValueMAE: make([]float64, k), Windows: len(set)}

	for _, smp := range set {
		s := series[smp.s]
		w := s[smp.start : smp.start+InputSize]
		last, ds := w[InputSize-1], m.Norm.scale(w)
		p.forwardHistory(s[:smp.start+InputSize], cfg.lastUnix(smp), raw)
		copy(out, raw)
		m.denormalise(w, out)
		for h := range k {
			actual := s[smp.start+InputSize+h]
			d := raw[h] - (actual-last)/ds
			met.MSE += d * d
			met.NormMAE += math.Abs(d)
			met.MAEPercent[h] += math.Abs(out[h] - actual)
			met.LastValueMAE[h] += math.Abs(last - actual)
		}
	}

	n := float64(max(len(set), 1))
	met.MSE /= n * float64(k)
	met.NormMAE /= n * float64(k)
	for h := range k {
		met.MAEPercent[h] /= n
		met.LastValueMAE[h] /= n
	}
	return met
}
