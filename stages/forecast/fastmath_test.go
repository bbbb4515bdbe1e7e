package forecast

import (
	"math"
	"testing"
)

func TestFastSigmoidTanhAccuracy(t *testing.T) {
	var worstS, worstT float64
	for x := -60.0; x <= 60; x += 0.0000917 {
		worstS = max(worstS, math.Abs(fastSigmoid(x)-sigmoid(x)))
		worstT = max(worstT, math.Abs(fastTanh(x)-math.Tanh(x)))
	}
	for _, x := range []float64{math.Inf(1), math.Inf(-1), 1e300, -1e300, tanhLimit, -tanhLimit} {
		worstT = max(worstT, math.Abs(fastTanh(x)-math.Tanh(x)))
	}
	if worstS > 1e-9 || worstT > 1e-9 {
		t.Errorf("worst absolute error: sigmoid %g, tanh %g; want below 1e-9", worstS, worstT)
	}
}

// gateInputs are pre-activations spread like a trained LSTM's.
var gateInputs = func() []float64 {
	x := make([]float64, 1024)
	for i := range x {
		x[i] = 6 * math.Sin(float64(i)*0.7)
	}
	return x
}()

var sinkF float64

// BenchmarkMathGates and BenchmarkFastGates time one sigmoid and one tanh
// per element over independent inputs, as the gate loop does.
func BenchmarkMathGates(b *testing.B) {
	var s float64
	cpu := startCPUTimer(b)
	for b.Loop() {
		for _, x := range gateInputs {
			s += sigmoid(x) * math.Tanh(x)
		}
	}
	cpu.stop(len(gateInputs), "pair")
	sinkF = s
}

func BenchmarkFastGates(b *testing.B) {
	var s float64
	cpu := startCPUTimer(b)
	for b.Loop() {
		for _, x := range gateInputs {
			s += fastSigmoid(x) * fastTanh(x)
		}
	}
	cpu.stop(len(gateInputs), "pair")
	sinkF = s
}

// sigmoid is the reference the fast version is checked against.
func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
