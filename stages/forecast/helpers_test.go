package forecast

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randomModel returns an untrained model with random weights.
func randomModel(t testing.TB, hidden, horizon int, seed uint64) *Model {
	t.Helper()
	cfg := TrainConfig{Series: [][]float64{{0}}, Hidden: hidden, Horizon: horizon, Seed: seed}
	cfg.SetDefaults()
	m := newUntrainedModel(cfg, rand.New(rand.NewPCG(seed, 7)))
	if err := m.checkShapes(); err != nil {
		t.Fatal(err)
	}
	return m
}

// randomWindow returns a window of a CPU-like random walk in [0, 100].
func randomWindow(rng *rand.Rand) []float64 { return randomHistory(rng, InputSize) }

// randomHistory returns n steps of a CPU-like random walk in [0, 100].
func randomHistory(rng *rand.Rand, n int) []float64 {
	h := make([]float64, n)
	v := rng.Float64() * 100
	for i := range h {
		v = min(max(v+rng.NormFloat64()*5, 0), 100)
		h[i] = v
	}
	return h
}

// sineSeries is a noisy daily-like cycle of n steps with period steps.
func sineSeries(n, period int, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 3))
	s := make([]float64, n)
	for i := range s {
		s[i] = 50 + 30*math.Sin(2*math.Pi*float64(i)/float64(period)) + rng.NormFloat64()
	}
	return s
}
