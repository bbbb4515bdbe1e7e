package forecast

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// exactForward is the forward pass written straight from the LSTM
// equations with math.Exp and math.Tanh, on the unpacked weights: the
// reference both kernel sets are checked against.
func exactForward(m *Model, window, out []float64) {
	hid := m.Arch.Hidden
	last := window[InputSize-1]
	ds, ls := m.Norm.scale(window), m.Norm.LevelScale
	h, c := make([]float64, hid), make([]float64, hid)
	var z [numGates][]float64
	for g := range numGates {
		z[g] = make([]float64, hid)
	}
	for _, x := range window {
		x0, x1 := (x-last)/ds, x/ls
		for g := range numGates {
			for j := range hid {
				s := m.W.B[g][j] + x0*m.W.Wx[g][j] + x1*m.W.Wx[g][hid+j]
				for k := range hid {
					s += h[k] * m.W.Wh[g][k*hid+j]
				}
				z[g][j] = s
			}
		}
		for j := range hid {
			c[j] = sigmoid(z[gateF][j])*c[j] + sigmoid(z[gateI][j])*math.Tanh(z[gateG][j])
			h[j] = sigmoid(z[gateO][j]) * math.Tanh(c[j])
		}
	}
	k := len(out)
	copy(out, m.W.By)
	for j, hj := range h {
		for i := range k {
			out[i] += hj * m.W.Wy[j*k+i]
		}
	}
}

// TestKernelsMatchExactMath checks each kernel set (kernel.go) against
// exactForward on the normalised outputs, for hidden sizes that do and do
// not fill the assembly's 32-column blocks. The recurrent weights are
// doubled so that some gates saturate.
func TestKernelsMatchExactMath(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for _, hid := range []int{4, 32, 36, 64} {
		m := randomModel(t, hid, 12, uint64(hid))
		for g := range numGates {
			for i := range m.W.Wh[g] {
				m.W.Wh[g][i] *= 2
			}
		}
		windows := make([][]float64, 50)
		for i := range windows {
			windows[i] = randomWindow(rng)
		}
		for _, simd := range kernelChoices() {
			t.Run(fmt.Sprintf("hidden %d simd=%v", hid, simd), func(t *testing.T) {
				withKernels(m, simd)
				if m.packed.simd != simd {
					t.Fatal("kernel choice not applied")
				}
				got, want := make([]float64, 12), make([]float64, 12)
				for i, w := range windows {
					m.NewPredictor().forward(w, got)
					exactForward(m, w, want)
					for h := range got {
						if d := math.Abs(got[h] - want[h]); !(d <= 1e-7) {
							t.Fatalf("window %d horizon %d: kernels %.12f, exact %.12f", i, h+1, got[h], want[h])
						}
					}
				}
			})
		}
	}
}

// kernelChoices are the kernel sets this machine can run: the pure-Go ones,
// and the assembly ones where the CPU has them.
func kernelChoices() []bool {
	if haveAVX2FMA {
		return []bool{false, true}
	}
	return []bool{false}
}

// withKernels re-packs m for the pure-Go (simd false) or assembly kernels;
// the assembly ones only run when Hidden is a multiple of 4.
func withKernels(m *Model, simd bool) {
	old := simdKernels
	simdKernels = simd
	m.prepare()
	simdKernels = old
}
