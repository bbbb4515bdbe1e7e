package forecast

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
)

// gorgoniaForward runs the gorgonia graph of m over windows and returns the
// de-normalised, clipped forecasts, as Predict computes them.
func gorgoniaForward(t testing.TB, m *Model, windows [][]float64) [][]float64 {
	t.Helper()
	lg, err := buildGraph(m.Arch, &m.W, len(windows), "")
	if err != nil {
		t.Fatal(err)
	}
	vm := G.NewTapeMachine(lg.g)
	defer vm.Close()

	nf := len(Features)
	xs := make([]float64, len(windows)*InputSize*nf)
	for i, w := range windows {
		normaliseWindow(m.Norm, w, xs[i*InputSize*nf:])
	}
	if err := lg.setInputs(xs, nil); err != nil {
		t.Fatal(err)
	}
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}

	k := m.Arch.Horizon
	raw := lg.out.Value().Data().([]float64)
	out := make([][]float64, len(windows))
	for i, w := range windows {
		top := 100.0
		for _, v := range w {
			top = max(top, v)
		}
		out[i] = make([]float64, k)
		for h := range k {
			out[i][h] = min(max(w[InputSize-1]+m.Norm.scale(w)*raw[i*k+h], 0), top)
		}
	}
	return out
}

func TestPredictMatchesGorgoniaForward(t *testing.T) {
	models := map[string]*Model{"random h32": randomModel(t, 32, 12, 5), "random h7 k3": randomModel(t, 7, 3, 9)}
	if d, err := DefaultModel(); err == nil {
		models["default"] = d
	}

	rng := rand.New(rand.NewPCG(11, 12))
	for name, m := range models {
		for _, simd := range kernelChoices() {
			withKernels(m, simd)
			t.Run(fmt.Sprintf("%s simd=%v", name, simd), func(t *testing.T) {
				windows := make([][]float64, 8)
				for i := range windows {
					windows[i] = randomWindow(rng)
				}
				want := gorgoniaForward(t, m, windows)

				out := make([]float64, m.Horizon())
				inside := 0
				for i, w := range windows {
					m.Predict(w, out)
					for h := range out {
						if d := math.Abs(out[h] - want[i][h]); !(d <= 1e-4) {
							t.Fatalf("window %d horizon %d: pure Go %.8f, gorgonia %.8f", i, h+1, out[h], want[i][h])
						}
						if out[h] > 0 && out[h] < 100 {
							inside++
						}
					}
				}
				// Clipped outputs would agree whatever the network computed.
				if inside < len(windows)*m.Horizon()/2 {
					t.Fatalf("only %d of %d outputs inside (0, 100): the comparison is not meaningful", inside, len(windows)*m.Horizon())
				}
			})
		}
		withKernels(m, simdKernels)
	}
}

func TestPredictBatchMatchesPredict(t *testing.T) {
	m := randomModel(t, 16, 6, 2)
	rng := rand.New(rand.NewPCG(1, 2))
	n := 70
	windows, out := make([][]float64, n), make([][]float64, n)
	for i := range windows {
		windows[i], out[i] = randomWindow(rng), make([]float64, 6)
	}
	m.PredictBatch(windows, out)

	one := make([]float64, 6)
	for i, w := range windows {
		m.Predict(w, one)
		for h := range one {
			if one[h] != out[i][h] {
				t.Fatalf("window %d horizon %d: batch %v, single %v", i, h+1, out[i][h], one[h])
			}
		}
	}
}

func TestPredictBatchDoesNotAllocate(t *testing.T) {
	m := randomModel(t, 32, 12, 1)
	rng := rand.New(rand.NewPCG(1, 1))
	windows, out := make([][]float64, 64), make([][]float64, 64)
	for i := range windows {
		windows[i], out[i] = randomWindow(rng), make([]float64, 12)
	}
	p := m.NewPredictor()
	p.PredictBatch(windows, out) // grows the scratch once

	if n := testing.AllocsPerRun(20, func() { p.PredictBatch(windows, out) }); n != 0 {
		t.Errorf("PredictBatch allocates %v times per call in steady state", n)
	}
}

// BenchmarkPredictBatch64 forecasts 64 hosts per call, as for one tick;
// ns/forecast is the cost per host.
func BenchmarkPredictBatch64(b *testing.B) {
	m := randomModel(b, 32, 12, 1)
	rng := rand.New(rand.NewPCG(1, 1))
	windows, out := make([][]float64, 64), make([][]float64, 64)
	for i := range windows {
		windows[i], out[i] = randomWindow(rng), make([]float64, 12)
	}
	p := m.NewPredictor()
	b.ReportAllocs()
	cpu := startCPUTimer(b)
	for b.Loop() {
		p.PredictBatch(windows, out)
	}
	cpu.stop(len(windows), "forecast")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(windows)), "ns/forecast")
}

func TestPredictDoesNotAllocate(t *testing.T) {
	m := randomModel(t, 32, 12, 1)
	w := randomWindow(rand.New(rand.NewPCG(1, 1)))
	out := make([]float64, 12)
	p := m.NewPredictor()

	if n := testing.AllocsPerRun(100, func() { p.Predict(w, out) }); n != 0 {
		t.Errorf("Predictor.Predict: %v allocs per call, want 0", n)
	}
	m.Predict(w, out) // fill the pool
	if n := testing.AllocsPerRun(100, func() { m.Predict(w, out) }); n != 0 {
		t.Errorf("Model.Predict: %v allocs per call, want 0", n)
	}
}

func TestPredictClipsToValidPercent(t *testing.T) {
	m := randomModel(t, 8, 4, 3)
	// A huge output bias pushes every raw forecast far out of range, even
	// at the smallest delta scale (0.05 for a flat window).
	for i := range m.W.By {
		m.W.By[i] = 1e5
	}
	m.prepare()
	w := make([]float64, InputSize)
	for i := range w {
		w[i] = 50
	}
	out := make([]float64, 4)
	m.Predict(w, out)
	for h, v := range out {
		if v != 100 {
			t.Errorf("horizon %d: %v, want clipped to 100", h+1, v)
		}
	}

	for i := range m.W.By {
		m.W.By[i] = -1e5
	}
	m.prepare()
	m.Predict(w, out)
	for h, v := range out {
		if v != 0 {
			t.Errorf("horizon %d: %v, want clipped to 0", h+1, v)
		}
	}
}

func TestPredictPanicsOnWrongWindowLength(t *testing.T) {
	m := randomModel(t, 4, 2, 1)
	defer func() {
		if recover() == nil {
			t.Error("no panic for a window of 23 values")
		}
	}()
	m.Predict(make([]float64, InputSize-1), make([]float64, 2))
}

func BenchmarkPredict(b *testing.B) {
	m := randomModel(b, 32, 12, 1)
	w := randomWindow(rand.New(rand.NewPCG(1, 1)))
	out := make([]float64, 12)
	p := m.NewPredictor()
	b.ReportAllocs()
	cpu := startCPUTimer(b)
	for b.Loop() {
		p.Predict(w, out)
	}
	cpu.stop(1, "forecast")
}

func BenchmarkModelPredictPooled(b *testing.B) {
	m := randomModel(b, 32, 12, 1)
	w := randomWindow(rand.New(rand.NewPCG(1, 1)))
	out := make([]float64, 12)
	b.ReportAllocs()
	for b.Loop() {
		m.Predict(w, out)
	}
}

// BenchmarkGorgoniaForward is one forecast through gorgonia's TapeMachine
// (batch 1), for comparison with BenchmarkPredict.
func BenchmarkGorgoniaForward(b *testing.B) {
	m := randomModel(b, 32, 12, 1)
	w := randomWindow(rand.New(rand.NewPCG(1, 1)))
	lg, err := buildGraph(m.Arch, &m.W, 1, "")
	if err != nil {
		b.Fatal(err)
	}
	vm := G.NewTapeMachine(lg.g)
	defer vm.Close()
	xs := make([]float64, InputSize*len(Features))

	b.ReportAllocs()
	cpu := startCPUTimer(b)
	defer cpu.stop(1, "forecast")
	for b.Loop() {
		normaliseWindow(m.Norm, w, xs)
		if err := lg.setInputs(xs, nil); err != nil {
			b.Fatal(err)
		}
		if err := vm.RunAll(); err != nil {
			b.Fatal(err)
		}
		vm.Reset()
	}
}

// TestModelPredictConcurrent runs Model.Predict from several goroutines;
// with -race it checks that pooled scratch is never shared.
func TestModelPredictConcurrent(t *testing.T) {
	m := randomModel(t, 16, 4, 8)
	rng := rand.New(rand.NewPCG(8, 8))
	windows := make([][]float64, 4)
	want := make([][]float64, 4)
	for i := range windows {
		windows[i] = randomWindow(rng)
		want[i] = make([]float64, 4)
		m.NewPredictor().Predict(windows[i], want[i])
	}

	errs := make(chan string, len(windows))
	for i := range windows {
		go func() {
			out := make([]float64, 4)
			for range 200 {
				m.Predict(windows[i], out)
				for h := range out {
					if out[h] != want[i][h] {
						errs <- "concurrent forecast differs from a private predictor's"
						return
					}
				}
			}
			errs <- ""
		}()
	}
	for range windows {
		if e := <-errs; e != "" {
			t.Fatal(e)
		}
	}
}
