package forecast

import (
	"fmt"
	"sync"
	"time"
)

// packedWeights re-lays the gate weights for the kernels of kernel.go: the
// input and recurrent weights of all four gates as one matrix of
// Features+Hidden rows by 4*Hidden columns, row-major, so that one step's
// pre-activations are one matrix-vector product.
type packedWeights struct {
	// w: row f < Features is input feature f, row Features+k is hidden
	// unit k; column g*Hidden+j is gate g's unit j.
	w []float64
	b []float64 // 4*Hidden, same column layout
	// simd: the assembly kernels run (see simdKernels).
	simd bool
}

// prepare packs the weights and sets up the scratch pool; it must run once
// before Predict, after checkShapes.
func (m *Model) prepare() {
	h, nf := m.Arch.Hidden, len(m.Arch.Features)
	h4 := numGates * h
	p := packedWeights{
		w:    make([]float64, (nf+h)*h4),
		b:    make([]float64, h4),
		simd: simdKernels && h%4 == 0,
	}
	for g := range numGates {
		for j := range h {
			col := g*h + j
			p.b[col] = m.W.B[g][j]
			for f := range nf {
				p.w[f*h4+col] = m.W.Wx[g][f*h+j]
			}
			for k := range h {
				p.w[(nf+k)*h4+col] = m.W.Wh[g][k*h+j]
			}
		}
	}
	m.packed = p
	m.feats = newFeatureSet(m.Arch.Features)
	m.name = modelName(m.Arch)
	m.pool = predictorPool{p: &sync.Pool{New: func() any { return m.NewPredictor() }}}
}

// predictorPool hands out Predictors to Model.Predict callers.
type predictorPool struct{ p *sync.Pool }

// Predictor runs the pure-Go forward pass of one Model with its own scratch
// buffers. It is not safe for concurrent use: give each goroutine its own
// (or call Model.Predict, which borrows one from a pool). Predict does not
// allocate.
type Predictor struct {
	m *Model
	// v is the kernels' input: the step's features, then the hidden state.
	v, z, c []float64
	// feat holds the window's inputs, InputSize x len(Features).
	feat []float64
}

// NewPredictor returns a Predictor over m; m must not change afterwards.
func (m *Model) NewPredictor() *Predictor {
	h := m.Arch.Hidden
	return &Predictor{
		m:    m,
		v:    make([]float64, len(m.Arch.Features)+h),
		z:    make([]float64, numGates*h),
		c:    make([]float64, h),
		feat: make([]float64, InputSize*len(m.Arch.Features)),
	}
}

// Name is the model's name, see Model.Name.
func (p *Predictor) Name() string { return p.m.Name() }

// Horizon is the model's horizon, see Model.Horizon.
func (p *Predictor) Horizon() int { return p.m.Horizon() }

// Predict forecasts the next Horizon() steps of window into out.
//
// window must hold exactly InputSize CPU percentages, oldest first; out must
// have room for Horizon() values; out[i] is the forecast i+1 steps after the
// window's last step. Any other lengths are a programming error and panic.
// Forecasts are clipped to [0, max(100, max of window)].
//
// A model that reads the time of day gets midnight UTC here (use
// PredictAt); one that reads day_ago_ahead cannot run from a window alone
// and panics (see Model.NeedsHistory).
func (p *Predictor) Predict(window, out []float64) {
	p.checkLens(window, out)
	if p.m.feats.dayAgo {
		panic("forecast: Predict on a model that reads day_ago_ahead; use PredictAt")
	}
	k := p.m.Arch.Horizon
	p.forward(window, out[:k])
	p.m.denormalise(window, out[:k])
}

// PredictAt forecasts like Predict from the last InputSize steps of
// history, whose last step is at time last: the call for models with
// optional features (see features.go). history must hold at least
// Model.MinHistory() steps, out Horizon() values; other lengths panic. It
// does not allocate.
func (p *Predictor) PredictAt(history []float64, last time.Time, out []float64) {
	m := p.m
	if len(history) < m.MinHistory() || len(out) < m.Arch.Horizon {
		panic(fmt.Sprintf("forecast: PredictAt wants history of at least %d and out of %d, got %d and %d",
			m.MinHistory(), m.Arch.Horizon, len(history), len(out)))
	}
	k := m.Arch.Horizon
	p.forwardHistory(history, unixSeconds(last), out[:k])
	m.denormalise(history[len(history)-InputSize:], out[:k])
}

func (p *Predictor) checkLens(window, out []float64) {
	if len(window) != InputSize || len(out) < p.m.Arch.Horizon {
		panic(fmt.Sprintf("forecast: Predict wants a window of %d and out of %d, got %d and %d",
			InputSize, p.m.Arch.Horizon, len(window), len(out)))
	}
}

// denormalise turns the normalised outputs in out into CPU percent, clipped
// to [0, max(100, window max)].
func (m *Model) denormalise(window, out []float64) {
	last, ds := window[InputSize-1], m.Norm.scale(window)
	top := 100.0
	for _, v := range window {
		top = max(top, v)
	}
	for i := range out {
		out[i] = min(max(last+ds*out[i], 0), top)
	}
}

// forward writes the model's normalised outputs for window into out
// (len Horizon), before de-normalisation and clipping; time features
// are fed as midnight UTC.
func (p *Predictor) forward(window, out []float64) {
	p.forwardHistory(window, 0, out)
}

// forwardHistory is forward over the window ending at history's last step,
// which is at lastUnix (Unix seconds; time features only).
func (p *Predictor) forwardHistory(history []float64, lastUnix float64, out []float64) {
	m := p.m
	nf, hid := m.feats.n, m.Arch.Hidden
	m.fillFeatures(history, lastUnix, float64(m.Training.StepSeconds), p.feat)
	v, z, c := p.v[:nf+hid], p.z[:numGates*hid], p.c[:hid]
	h := v[nf:]
	clear(h)
	clear(c)

	for t := range InputSize {
		copy(v[:nf], p.feat[t*nf:t*nf+nf])
		// The hidden state is all zero at t == 0: only the input rows.
		if t == 0 {
			m.packed.gates(v[:nf], z)
		} else {
			m.packed.gates(v, z)
		}
		m.packed.cell(z, h, c)
	}
	m.head(h, out)
}

// cellStep applies the gates in z (4*Hidden pre-activations) to the cell c
// and writes the new hidden state into h: the pure-Go cell kernel. The
// nonlinearities are fastSigmoid and fastTanh: exp and tanh were half of
// the forward pass.
func cellStep(z, h, c []float64) {
	hid := len(h)
	zi, zf := z[:hid], z[hid:2*hid]
	zg, zo := z[2*hid:3*hid], z[3*hid:4*hid]
	c = c[:hid]
	for j := range h {
		c[j] = fastSigmoid(zf[j])*c[j] + fastSigmoid(zi[j])*fastTanh(zg[j])
		h[j] = fastSigmoid(zo[j]) * fastTanh(c[j])
	}
}

// head writes the dense layer's outputs for hidden state h into out.
func (m *Model) head(h, out []float64) {
	k := len(out)
	copy(out, m.W.By)
	for j, hj := range h {
		axpy(hj, m.W.Wy[j*k:j*k+k], out)
	}
}

// PredictBatch forecasts windows[i] into out[i] for every i, with the same
// contract and results per window as Predict; use it for all hosts due in
// the same tick. It does not allocate.
//
// The windows run one after the other through the kernels of kernel.go.
// Running them together, one matrix-matrix product per step instead of
// one matrix-vector product per window, was measured slower with the
// earlier gonum kernels (85-98 µs against 76-80 µs of CPU per forecast at
// batch 64, hidden 32): the packed weights (34 x 128 float64, 34 KiB) stay
// in the L1/L2 caches between windows, so reading them once per step for
// many windows saves little. With the assembly kernels a forecast costs
// about the same in a batch as alone (BenchmarkPredictBatch64 against
// BenchmarkPredict); a batched kernel was not tried again.
func (p *Predictor) PredictBatch(windows, out [][]float64) {
	if len(out) < len(windows) {
		panic(fmt.Sprintf("forecast: PredictBatch got %d windows and %d outputs", len(windows), len(out)))
	}
	for i, w := range windows {
		p.Predict(w, out[i])
	}
}

// axpy adds a*x to y; len(y) must equal len(x).
func axpy(a float64, x, y []float64) {
	y = y[:len(x)]
	i := 0
	for ; i+4 <= len(x); i += 4 {
		y[i] += a * x[i]
		y[i+1] += a * x[i+1]
		y[i+2] += a * x[i+2]
		y[i+3] += a * x[i+3]
	}
	for ; i < len(x); i++ {
		y[i] += a * x[i]
	}
}

// Predict forecasts like Predictor.Predict. It is safe for concurrent use:
// each call borrows a Predictor from a pool, so steady-state calls do not
// allocate. A hot loop in one goroutine may hold its own Predictor instead.
func (m *Model) Predict(window, out []float64) {
	p := m.pool.p.Get().(*Predictor)
	p.Predict(window, out)
	m.pool.p.Put(p)
}

// PredictAt forecasts like Predictor.PredictAt. It is safe for concurrent
// use, as Predict.
func (m *Model) PredictAt(history []float64, last time.Time, out []float64) {
	p := m.pool.p.Get().(*Predictor)
	p.PredictAt(history, last, out)
	m.pool.p.Put(p)
}

// PredictBatch forecasts windows[i] into out[i] for every i, like
// Predictor.PredictBatch. It is safe for concurrent use.
func (m *Model) PredictBatch(windows, out [][]float64) {
	p := m.pool.p.Get().(*Predictor)
	p.PredictBatch(windows, out)
	m.pool.p.Put(p)
}
