package anomaly

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"
)

func gaussianCloud(n, dims int, seed uint64) [][]float64 {
	rng := rand.New(rand.NewPCG(seed, 2))
	rows := make([][]float64, n)
	for i := range rows {
		rows[i] = make([]float64, dims)
		for j := range rows[i] {
			rows[i][j] = rng.NormFloat64()
		}
	}
	return rows
}

func TestAvgPathLength(t *testing.T) {
	cases := []struct {
		n    int
		want float64
	}{
		{0, 0},
		{1, 0},
		{2, 1},
		// 2(ln 255 + γ) - 2·255/256, worked by hand.
		{256, 10.2448},
	}
	for _, c := range cases {
		if got := avgPathLength(c.n); math.Abs(got-c.want) > 1e-4 {
			t.Errorf("c(%d) = %.5f, want %.4f", c.n, got, c.want)
		}
	}
}

func TestForestIsolatedPointScoresHigh(t *testing.T) {
	data := gaussianCloud(1000, 3, 1)
	outlier := []float64{8, -8, 8}
	data = append(data, outlier)

	f := Fit(data, ForestConfig{Seed: 7})

	if s := f.Score(outlier); s <= 0.7 {
		t.Errorf("isolated point scores %.3f, want > 0.7", s)
	}
	var sum float64
	for _, r := range data[:1000] {
		sum += f.Score(r)
	}
	if mean := sum / 1000; mean >= 0.5 {
		t.Errorf("cluster points score %.3f on average, want < 0.5", mean)
	}
	if s := f.Score([]float64{0, 0, 0}); s >= 0.5 {
		t.Errorf("the cluster's centre scores %.3f, want < 0.5", s)
	}
}

func TestForestUniformCloudScoresNearHalf(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	data := make([][]float64, 2000)
	for i := range data {
		data[i] = []float64{rng.Float64(), rng.Float64()}
	}
	f := Fit(data, ForestConfig{Seed: 1})

	var sum float64
	for _, r := range data {
		s := f.Score(r)
		if s < 0 || s > 1 {
			t.Fatalf("score %v outside [0, 1]", s)
		}
		sum += s
	}
	// Nothing stands out in a uniform cloud: the average path length is
	// close to c(ψ), so scores gather around 0.5.
	mean := sum / float64(len(data))
	t.Logf("uniform cloud: mean score %.3f", mean)
	if mean < 0.4 || mean > 0.55 {
		t.Errorf("uniform cloud scores %.3f on average, want about 0.5 (0.4-0.55)", mean)
	}
}

func TestForestSameSeedSameScores(t *testing.T) {
	data := gaussianCloud(500, 4, 5)
	a := Fit(data, ForestConfig{Seed: 42})
	b := Fit(data, ForestConfig{Seed: 42})

	if !slices.Equal(a.nodes, b.nodes) || !slices.Equal(a.roots, b.roots) {
		t.Fatal("two fits with the same seed grew different trees")
	}
	probe := gaussianCloud(50, 4, 6)
	for _, x := range probe {
		if sa, sb := a.Score(x), b.Score(x); sa != sb {
			t.Fatalf("same seed, scores %v and %v", sa, sb)
		}
	}
}

func TestForestDifferentSeedDifferentTrees(t *testing.T) {
	data := gaussianCloud(500, 4, 5)
	a := Fit(data, ForestConfig{Seed: 1})
	b := Fit(data, ForestConfig{Seed: 2})

	if slices.Equal(a.nodes, b.nodes) {
		t.Fatal("seeds 1 and 2 grew identical trees")
	}
	differ := 0
	for _, x := range gaussianCloud(50, 4, 6) {
		if a.Score(x) != b.Score(x) {
			differ++
		}
	}
	if differ == 0 {
		t.Error("seeds 1 and 2 give identical scores on 50 probes")
	}
}

func TestForestHeightLimitAndShape(t *testing.T) {
	data := gaussianCloud(3000, 2, 9)
	f := Fit(data, ForestConfig{Trees: 20, SampleSize: 200, Seed: 3})

	if f.Trees() != 20 || f.SampleSize() != 200 || f.Dims() != 2 {
		t.Fatalf("trees %d, sample %d, dims %d; want 20, 200, 2", f.Trees(), f.SampleSize(), f.Dims())
	}
	limit := bits.Len(uint(200 - 1)) // ceil(log2 200) = 8
	if limit != 8 {
		t.Fatalf("height limit %d, want 8", limit)
	}

	// Walk every tree: depth never exceeds the limit and every leaf's path
	// length is its depth plus c(size) with size ≥ 1 (so at least depth).
	var walk func(i int32, depth int)
	walk = func(i int32, depth int) {
		n := f.nodes[i]
		if depth > limit {
			t.Fatalf("node at depth %d, limit %d", depth, limit)
		}
		if n.left == 0 {
			if n.v < float64(depth) {
				t.Fatalf("leaf at depth %d has path length %v", depth, n.v)
			}
			return
		}
		walk(n.left, depth+1)
		walk(n.left+1, depth+1)
	}
	for _, r := range f.roots {
		walk(r, 0)
	}
	if max := f.Trees() * (1<<(limit+1) - 1); f.Nodes() > max {
		t.Errorf("%d nodes, a full forest of that height has %d", f.Nodes(), max)
	}
}

func TestForestSmallDataUsesAllRows(t *testing.T) {
	data := gaussianCloud(10, 2, 1)
	f := Fit(data, ForestConfig{Seed: 1})
	if f.SampleSize() != 10 {
		t.Errorf("sample size %d with 10 rows, want 10", f.SampleSize())
	}
}

func TestFitRejectsBadInput(t *testing.T) {
	cases := map[string][][]float64{
		"one row":     {{1, 2}},
		"ragged rows": {{1, 2}, {1}, {3, 4}},
		"empty rows":  {{}, {}},
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("Fit did not panic")
				}
			}()
			Fit(data, ForestConfig{})
		})
	}
}

func TestForestScoreDoesNotAllocate(t *testing.T) {
	f := Fit(gaussianCloud(1000, 7, 1), ForestConfig{Seed: 1})
	x := []float64{0.1, 2, -1, 0, 0.5, 3, 1}
	if n := testing.AllocsPerRun(100, func() { f.Score(x) }); n != 0 {
		t.Errorf("Score allocates %v times per call", n)
	}
}

func BenchmarkScore(b *testing.B) {
	data := gaussianCloud(1024, NumFeatures, 1)
	f := Fit(data, ForestConfig{Seed: 1})
	b.Logf("forest: %d trees, %d nodes, %d bytes", f.Trees(), f.Nodes(), f.MemoryBytes())

	b.ReportAllocs()
	var sink float64
	i := 0
	for b.Loop() {
		sink += f.Score(data[i%len(data)])
		i++
	}
	_ = sink
}

func BenchmarkFit(b *testing.B) {
	data := gaussianCloud(1024, NumFeatures, 1)
	var bl builder
	f := &Forest{}
	b.ReportAllocs()
	for b.Loop() {
		bl.fit(f, data, ForestConfig{Seed: 1})
	}
}
