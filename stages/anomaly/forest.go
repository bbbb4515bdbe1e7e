package anomaly

import (
	"fmt"
	"math"
)

// ForestConfig sets the shape of an Isolation Forest. The zero value takes
// the defaults written on each field.
type ForestConfig struct {
	// Trees is the number of isolation trees. Default 100, as in the
	// original paper (Liu, Ting and Zhou, 2008): path lengths converge well
	// before that.
	Trees int

	// SampleSize is ψ, the rows drawn without replacement to grow each tree.
	// Default 256. Fit uses min(SampleSize, rows) when it has fewer rows.
	SampleSize int

	// Seed makes fitting reproducible: the same data, config and seed give
	// the same trees and so the same scores. Default 0 (a valid seed).
	Seed uint64
}

// Default forest shape.
const (
	DefaultTrees      = 100
	DefaultSampleSize = 256
)

// SetDefaults fills zero fields with their documented defaults.
func (c *ForestConfig) SetDefaults() {
	if c.Trees == 0 {
		c.Trees = DefaultTrees
	}
	if c.SampleSize == 0 {
		c.SampleSize = DefaultSampleSize
	}
}

// Validate reports a config that Fit cannot use, after SetDefaults.
func (c ForestConfig) Validate() error {
	if c.Trees < 1 {
		return fmt.Errorf("%w: forest trees %d, want at least 1", ErrInvalidConfig, c.Trees)
	}
	if c.SampleSize < 2 {
		return fmt.Errorf("%w: forest sample size %d, want at least 2", ErrInvalidConfig, c.SampleSize)
	}

	// Node indices are int32; keep every tree's worst case far below that.
	if c.SampleSize > 1<<20 {
		return fmt.Errorf("%w: forest sample size %d, want at most %d", ErrInvalidConfig, c.SampleSize, 1<<20)
	}
	if c.Trees > 1<<12 {
		return fmt.Errorf("%w: forest trees %d, want at most %d", ErrInvalidConfig, c.Trees, 1<<12)
	}
	return nil
}

// node is one node of an isolation tree, stored in the forest's single flat
// slice so that scoring chases indices, not pointers, and a forest is one
// allocation the garbage collector does not scan.
//
// An internal node sends x left when x[feat] < v, to nodes[left], and right
// otherwise, to nodes[left+1]. A leaf has left == 0 (index 0 is the first
// tree's root, which is nobody's child) and v holds the whole path length
// credited to points ending there: its depth plus c(size), the average depth
// the unbuilt subtree below it would have added.
type node struct {
	v    float64
	left int32
	feat int32
}

// nodeBytes is the size of one node, for memory accounting.
const nodeBytes = 16

// Forest is a fitted Isolation Forest. It is immutable after Fit, so Score
// may be called from any number of goroutines at once.
type Forest struct {
	nodes []node
	roots []int32 // index of each tree's root in nodes
	dims  int     // row length the forest was fitted on
	psi   int     // sample size actually used per tree
	cpsi  float64 // c(psi), the normaliser of the score
}

// Score returns the anomaly score of x in [0, 1]: 2^(-E[h(x)]/c(ψ)), where
// h(x) is the path length of x in one tree and c(ψ) the average path length
// of an unsuccessful search in a binary search tree of ψ points. Scores near
// 1 are anomalies, scores well below 0.5 are normal, and a sample where
// every score is near 0.5 has no distinct anomaly.
//
// x must have at least Dims() values (extra ones are ignored); a shorter x
// panics. Score does not allocate.
func (f *Forest) Score(x []float64) float64 {
	_ = x[f.dims-1]

	nodes := f.nodes
	var sum float64
	for _, i := range f.roots {
		for {
			n := &nodes[i]
			if n.left == 0 {
				sum += n.v
				break
			}
			if x[n.feat] < n.v {
				i = n.left
			} else {
				i = n.left + 1
			}
		}
	}

	mean := sum / float64(len(f.roots))
	return math.Exp2(-mean / f.cpsi)
}

// Dims is the number of values per row the forest was fitted on.
func (f *Forest) Dims() int { return f.dims }

// Trees is the number of trees in the forest.
func (f *Forest) Trees() int { return len(f.roots) }

// SampleSize is ψ, the rows each tree was grown from.
func (f *Forest) SampleSize() int { return f.psi }

// Nodes is the number of nodes over all trees.
func (f *Forest) Nodes() int { return len(f.nodes) }

// MemoryBytes is the heap the forest holds (its node and root arrays at
// their capacity, plus the struct), for sizing per-host state.
func (f *Forest) MemoryBytes() int {
	return cap(f.nodes)*nodeBytes + cap(f.roots)*4 + 64
}

// eulerGamma is the Euler-Mascheroni constant, used to approximate the
// harmonic number H(i) ≈ ln(i) + γ.
const eulerGamma = 0.5772156649

// avgPathLength is c(n) = 2H(n-1) - 2(n-1)/n, the average path length of an
// unsuccessful search in a binary search tree of n points: the expected
// depth still to go below a leaf that holds n points, and the normaliser of
// the score. c(2) is 1 exactly; c(1) and c(0) are 0.
func avgPathLength(n int) float64 {
	switch {
	case n <= 1:
		return 0
	case n == 2:
		return 1
	}
	m := float64(n - 1)
	return 2*(math.Log(m)+eulerGamma) - 2*m/float64(n)
}
