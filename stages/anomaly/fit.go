package anomaly

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
)

// Fit grows an Isolation Forest on data, one row per observation. Zero
// fields of cfg take their defaults (see ForestConfig).
//
// Each tree is grown on ψ = min(cfg.SampleSize, len(data)) rows drawn
// without replacement, down to the height limit ceil(log2 ψ), from a
// math/rand/v2 PCG seeded with cfg.Seed: the same data and config always
// give the same forest. At each node a feature is drawn at random among
// those that still vary at that node (the paper draws among all features;
// skipping constant ones avoids splits that isolate nothing), and a split
// uniformly between that feature's min and max there.
//
// Fit reads data and keeps no reference to it. It panics when cfg is invalid
// (see ForestConfig.Validate), when data has fewer than 2 rows, or when rows
// differ in length or are empty: these are programming errors. Values must be
// finite; NaN rows land in arbitrary leaves.
func Fit(data [][]float64, cfg ForestConfig) *Forest {
	var b builder
	f := &Forest{}
	b.fit(f, data, cfg)
	return f
}

// builder holds the scratch of fitting so that a caller that refits often
// (the Detector) reuses it instead of allocating each time. Not safe for
// concurrent use.
type builder struct {
	rng   *rand.Rand
	pcg   *rand.PCG
	data  [][]float64
	perm  []int32 // a permutation of the rows, reshuffled for each tree
	idx   []int32 // the rows of the tree being grown, partitioned in place
	feats []int32 // scratch for drawing features without replacement
	hlim  int

	// ignore, when set, marks features never to split on (Config.Ignore):
	// they are not drawn, so the trees and scores do not depend on them.
	ignore []bool
}

// fit grows a forest into f, reusing f's arrays when they are large enough.
func (b *builder) fit(f *Forest, data [][]float64, cfg ForestConfig) {
	cfg.SetDefaults()
	if err := cfg.Validate(); err != nil {
		panic(fmt.Sprintf("anomaly.Fit: %v", err))
	}
	if len(data) < 2 {
		panic(fmt.Sprintf("anomaly.Fit: %d rows, need at least 2", len(data)))
	}
	dims := len(data[0])
	if dims == 0 {
		panic("anomaly.Fit: rows have no values")
	}
	for i, r := range data {
		if len(r) != dims {
			panic(fmt.Sprintf("anomaly.Fit: row %d has %d values, row 0 has %d", i, len(r), dims))
		}
	}

	b.seed(cfg.Seed)
	b.data = data
	b.perm = resize(b.perm, len(data))
	for i := range b.perm {
		b.perm[i] = int32(i)
	}
	b.feats = resize(b.feats, dims)

	psi := min(cfg.SampleSize, len(data))
	b.idx = resize(b.idx, psi)
	b.hlim = bits.Len(uint(psi - 1)) // ceil(log2 psi) for psi >= 2

	f.dims = dims
	f.psi = psi
	f.cpsi = avgPathLength(psi)
	f.nodes = f.nodes[:0]
	f.roots = f.roots[:0]
	for range cfg.Trees {
		b.sample()
		root := int32(len(f.nodes))
		f.roots = append(f.roots, root)
		f.nodes = append(f.nodes, node{})
		b.grow(f, root, b.idx, 0)
	}

	// Drop the caller's rows: the builder may outlive them.
	b.data = nil
}

// seed resets the random source so that each fit depends on its seed only.
func (b *builder) seed(s uint64) {
	// The second PCG word is a fixed odd constant, so seeds 0, 1, 2, ...
	// still give unrelated streams.
	const stream = 0x9e3779b97f4a7c15
	if b.pcg == nil {
		b.pcg = rand.NewPCG(s, stream)
		b.rng = rand.New(b.pcg)
		return
	}
	b.pcg.Seed(s, stream)
}

// sample draws len(b.idx) distinct rows into b.idx by a partial
// Fisher-Yates shuffle of b.perm. perm stays a permutation, so shuffling it
// again for the next tree is as good as starting from the identity.
func (b *builder) sample() {
	n := len(b.perm)
	for i := range b.idx {
		j := i + b.rng.IntN(n-i)
		b.perm[i], b.perm[j] = b.perm[j], b.perm[i]
		b.idx[i] = b.perm[i]
	}
}

// grow turns f.nodes[at] into the subtree isolating rows idx, at depth.
// Children are appended as a pair, so the right child is always left+1.
func (b *builder) grow(f *Forest, at int32, idx []int32, depth int) {
	if depth >= b.hlim || len(idx) <= 1 {
		f.nodes[at] = leaf(depth, len(idx))
		return
	}

	feat, lo, hi, ok := b.pickFeature(idx)
	if !ok {
		// Every row here is the same point: no split can separate them.
		f.nodes[at] = leaf(depth, len(idx))
		return
	}

	// A split in (lo, hi] leaves both sides non-empty under "x < split goes
	// left": lo goes left, hi goes right. Rounding can put lo+u*(hi-lo) on
	// lo itself when the range is tiny; hi is then the valid choice.
	split := lo + b.rng.Float64()*(hi-lo)
	if split <= lo {
		split = hi
	}

	// Partition idx in place: rows below the split first.
	k := 0
	for i, r := range idx {
		if b.data[r][feat] < split {
			idx[i], idx[k] = idx[k], idx[i]
			k++
		}
	}

	left := int32(len(f.nodes))
	f.nodes = append(f.nodes, node{}, node{})
	f.nodes[at] = node{v: split, left: left, feat: int32(feat)}
	b.grow(f, left, idx[:k], depth+1)
	b.grow(f, left+1, idx[k:], depth+1)
}

// pickFeature draws features without replacement until one varies over idx,
// and returns it with its min and max there. ok is false when none varies.
func (b *builder) pickFeature(idx []int32) (feat int, lo, hi float64, ok bool) {
	for i := range b.feats {
		b.feats[i] = int32(i)
	}
	for n := len(b.feats); n > 0; n-- {
		j := b.rng.IntN(n)
		feat = int(b.feats[j])
		b.feats[j] = b.feats[n-1]
		if feat < len(b.ignore) && b.ignore[feat] {
			continue
		}

		lo, hi = math.Inf(1), math.Inf(-1)
		for _, r := range idx {
			v := b.data[r][feat]
			lo = min(lo, v)
			hi = max(hi, v)
		}
		if hi > lo {
			return feat, lo, hi, true
		}
	}
	return 0, 0, 0, false
}

// leaf is a leaf at depth holding size rows: its path length is the depth
// plus the expected depth of the tree that the height limit cut off.
func leaf(depth, size int) node {
	return node{v: float64(depth) + avgPathLength(size)}
}

// resize returns s with length n, reusing its array when it is big enough.
func resize[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}
