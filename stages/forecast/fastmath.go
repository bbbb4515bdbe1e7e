package forecast

import "math"

// These are the nonlinearities of the pure-Go cell kernel (kernel.go); on
// CPUs with AVX2 and FMA3 the assembly kernel computes its own, four units
// at a time. The forward pass spent about half its time in the gate
// nonlinearities (24 steps x 32 units x 5 calls), and math.Exp and
// math.Tanh are built for full double precision over the whole range; the
// gates need far less.
// fastTanh reads a table of tanh and its derivative and interpolates with a
// cubic Hermite spline: absolute error below 1e-9 (checked by
// TestFastSigmoidTanhAccuracy), far inside the 1e-4 that the gorgonia
// parity test allows. Measured with BenchmarkMathGates/BenchmarkFastGates:
// about 16 instead of 32 ns of CPU for one sigmoid and one tanh.

const (
	// tanhLimit: beyond it tanh is within 2.3e-10 of +-1 and is returned as
	// the table's end value.
	tanhLimit = 11.0
	// tanhPerUnit table points per unit of x; the spline's error falls as
	// the 4th power of the spacing.
	tanhPerUnit = 64
	tanhPoints  = int(2*tanhLimit*tanhPerUnit + 1)
)

// tanhPoint is tanh and its derivative 1 - tanh^2 at one table point,
// side by side so one point is one cache access.
type tanhPoint struct{ y, d float64 }

// tanhTable holds the points x = -tanhLimit + i/tanhPerUnit, and a spare
// one past the upper edge.
var tanhTable = func() (t [tanhPoints + 1]tanhPoint) {
	for i := range t {
		y := math.Tanh(-tanhLimit + float64(i)/tanhPerUnit)
		t[i] = tanhPoint{y, 1 - y*y}
	}
	return t
}()

// fastTanh is tanh(x) from tanhTable by cubic Hermite interpolation.
// Branches rather than min/max: Go's float min and max also order NaNs
// and signed zeros, which costs instructions the hot loop does not need.
func fastTanh(x float64) float64 {
	if !(x < tanhLimit) { // also NaN, which the gates never produce
		return tanhTable[tanhPoints-1].y
	}
	if x <= -tanhLimit {
		return tanhTable[0].y
	}
	u := (x + tanhLimit) * tanhPerUnit
	i := int(u)
	f := u - float64(i)
	p0, p1 := tanhTable[i], tanhTable[i+1]
	y0, d0, y1, d1 := p0.y, p0.d/tanhPerUnit, p1.y, p1.d/tanhPerUnit

	// Hermite basis in Horner form: y0 + f*(d0 + f*(c2 + f*c3)).
	c2 := 3*(y1-y0) - 2*d0 - d1
	c3 := 2*(y0-y1) + d0 + d1
	return y0 + f*(d0+f*(c2+f*c3))
}

// fastSigmoid is 1/(1+e^-x) = (1 + tanh(x/2)) / 2 through fastTanh.
func fastSigmoid(x float64) float64 { return 0.5 + 0.5*fastTanh(0.5*x) }
