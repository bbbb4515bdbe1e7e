package forecast

import (
	"fmt"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// blasImpl is gonum's pure-Go BLAS, with assembly kernels on amd64.
var blasImpl gonum.Implementation

// packedWeights re-lays the gate weights so one step of the forward pass is
// a handful of contiguous multiply-adds over 4*Hidden values.
type packedWeights struct {
	wx []float64 // Features rows of 4*Hidden: gate g's unit j at g*Hidden+j
	wh []float64 // Hidden rows of 4*Hidden, same column layout
	b  []float64 // 4*Hidden
}

// prepare packs the weights and sets up the scratch pool; it must run once
// before Predict, after checkShapes.
func (m *Model) prepare() {
	h, nf := m.Arch.Hidden, len(Features)
	h4 := numGates * h
	p := packedWeights{
		wx: make([]float64, nf*h4),
		wh: make([]float64, h*h4),
		b:  make([]float64, h4),
	}
	for g := range numGates {
		for j := range h {
			col := g*h + j
			p.b[col] = m.W.B[g][j]
			for f := range nf {
				p.wx[f*h4+col] = m.W.Wx[g][f*h+j]
			}
			for k := range h {
				p.wh[k*h4+col] = m.W.Wh[g][k*h+j]
			}
		}
	}
	m.packed = p
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
	m       *Model
	z, h, c []float64
}

// NewPredictor returns a Predictor over m; m must not change afterwards.
func (m *Model) NewPredictor() *Predictor {
	h := m.Arch.Hidden
	return &Predictor{
		m: m,
		z: make([]float64, numGates*h),
		h: make([]float64, h),
		c: make([]float64, h),
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
func (p *Predictor) Predict(window, out []float64) {
	p.checkLens(window, out)
	k := p.m.Arch.Horizon
	p.forward(window, out[:k])
	p.m.denormalise(window, out[:k])
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
// (len Horizon), before de-normalisation and clipping.
func (p *Predictor) forward(window, out []float64) {
	m := p.m
	hid := m.Arch.Hidden
	h4 := numGates * hid
	last := window[InputSize-1]
	ds, ls := m.Norm.scale(window), m.Norm.LevelScale
	z, h, c := p.z[:h4], p.h[:hid], p.c[:hid]
	clear(h)
	clear(c)

	for t, v := range window {
		m.inputGates((v-last)/ds, v/ls, z)
		// h is all zero at t == 0, so the recurrent product is skipped.
		// z += Wh^T h through gonum's assembly kernel: the recurrent product
		// is a large part of the work, and a scalar Go loop is several times
		// slower.
		if t > 0 {
			blasImpl.Dgemv(blas.Trans, hid, h4, 1, m.packed.wh, h4, h, 1, 1, z, 1)
		}
		cellStep(z, h, c)
	}
	m.head(h, out)
}

// inputGates sets z (4*Hidden) to the bias plus the input part of every
// gate's pre-activation for one step's features x0, x1.
func (m *Model) inputGates(x0, x1 float64, z []float64) {
	h4 := len(z)
	b, wx0, wx1 := m.packed.b[:h4], m.packed.wx[:h4], m.packed.wx[h4:2*h4]
	for j := range z {
		z[j] = b[j] + x0*wx0[j] + x1*wx1[j]
	}
}

// cellStep applies the gates in z (4*Hidden pre-activations) to the cell c
// and writes the new hidden state into h. The nonlinearities are
// fastSigmoid and fastTanh: exp and tanh were half of the forward pass.
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
// The windows run one after the other. Running them together, with one
// matrix-matrix product (gonum's Dgemm) per step instead of one
// matrix-vector product per window, was measured slower here (85-98 µs
// against 76-80 µs of CPU per forecast at batch 64, hidden 32): the 32 KiB
// of recurrent weights already stay in L1 between windows, so reading them
// once per step saves nothing, and gonum's Dgemm kernel is slower than its
// Dgemv kernel at these shapes. A batch kernel pays off only with float32
// SIMD code written for it (not done).
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

// PredictBatch forecasts windows[i] into out[i] for every i, like
// Predictor.PredictBatch. It is safe for concurrent use.
func (m *Model) PredictBatch(windows, out [][]float64) {
	p := m.pool.p.Get().(*Predictor)
	p.PredictBatch(windows, out)
	m.pool.p.Put(p)
}
