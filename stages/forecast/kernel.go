package forecast

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// The forward pass has two kernels per step, each in two versions:
//
//   - gates: z = b + W^T v, the pre-activations of the 4*Hidden gate units
//     from v = [features of the step, previous hidden state]: one
//     matrix-vector product with the input and recurrent weights stacked
//     as one (Features+Hidden) x 4*Hidden matrix;
//   - cell: the gate nonlinearities and the cell and hidden state update.
//
// On amd64 CPUs with AVX2 and FMA3 both run in assembly (kernel_amd64.s):
// the product keeps 32 outputs in eight 4-lane registers and streams the
// weight rows once; the nonlinearities are computed four units at a time
// as sigmoid(x) = 1/(1+2^n*p(f)), exp(-x) split into a power of two and a
// degree-8 polynomial on |f| <= 1/2 (relative error below 3e-10), and
// tanh(x) = 2*sigmoid(2x)-1. Elsewhere, with the purego build tag, or when
// Hidden is not a multiple of 4, the versions below run (gonum's Dgemv
// and the tabulated tanh of fastmath.go). Both match gorgonia within
// 1e-4 (TestPredictMatchesGorgoniaForward runs each) and exact math within
// 1e-7 (TestKernelsMatchExactMath checks each against math.Exp and
// math.Tanh).

// simdKernels selects the assembly kernels for models prepared after it is
// set; tests turn it off to check the pure-Go ones.
var simdKernels = haveAVX2FMA

// gates sets z (4*Hidden) to b + sum_k v[k]*w[k*len(z):(k+1)*len(z)].
func (p *packedWeights) gates(v, z []float64) {
	n := len(z)
	if len(p.b) < n || len(p.w) < len(v)*n || n%4 != 0 {
		panic("forecast: gates shapes")
	}
	if p.simd {
		gatesAVX2(p.w, v, p.b, z)
		return
	}
	// gonum's Dgemv has SSE2 kernels on amd64; a scalar Go loop is about
	// twice as slow here.
	copy(z, p.b[:n])
	blasImpl.Dgemv(blas.Trans, len(v), n, 1, p.w, n, v, 1, 1, z, 1)
}

// blasImpl is gonum's pure-Go BLAS, with assembly kernels on amd64.
var blasImpl gonum.Implementation

// cell applies the gate pre-activations z to the cell state c and writes
// the new hidden state into h.
func (p *packedWeights) cell(z, h, c []float64) {
	if len(z) < numGates*len(h) || len(c) < len(h) || (p.simd && len(h)%4 != 0) {
		panic("forecast: cell shapes")
	}
	if p.simd {
		cellAVX2(z, h, c)
		return
	}
	cellStep(z, h, c)
}
