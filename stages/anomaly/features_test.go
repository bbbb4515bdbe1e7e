package anomaly

import (
	"math"
	"testing"

	"github.com/scalora/scalora/stages/window"
)

func TestExtractKnownWindow(t *testing.T) {
	dst := make([]float64, NumFeatures)
	got := Extract(dst, window.Closed{Values: []float64{1, 2, 3, 4, 5}})

	want := [NumFeatures]float64{
		FeatLast:  5,
		FeatMean:  3,
		FeatStd:   math.Sqrt2, // population std of 1..5
		FeatMin:   1,
		FeatMax:   5,
		FeatSlope: 1,
		FeatZLast: 2 / math.Sqrt2,
	}
	for f := range NumFeatures {
		if math.Abs(got[f]-want[f]) > 1e-12 {
			t.Errorf("%s = %v, want %v", Feature(f), got[f], want[f])
		}
	}
}

func TestExtractSlopeIsLeastSquares(t *testing.T) {
	// Worked by hand: mean 9.25, centred x = -1.5 -0.5 0.5 1.5,
	// deviations 0.75 1.25 -1.25 -0.75, Σx·d = -3.5, Σx² = 5, slope -0.7
	// (the first-to-last slope would say -0.5).
	got := Extract(make([]float64, NumFeatures), window.Closed{Values: []float64{10, 10.5, 8, 8.5}})
	if math.Abs(got[FeatSlope]-(-0.7)) > 1e-12 {
		t.Errorf("slope %v, want -0.7", got[FeatSlope])
	}
}

func TestExtractFlatWindowHasZeroStd(t *testing.T) {
	vals := make([]float64, windowSize)
	for i := range vals {
		vals[i] = 87.3 // sum/24 of this is not exactly 87.3 in floating point
	}
	got := Extract(make([]float64, NumFeatures), window.Closed{Values: vals})
	if got[FeatStd] != 0 || got[FeatZLast] != 0 || got[FeatMean] != 87.3 || got[FeatSlope] != 0 {
		t.Errorf("flat window: std %v, z %v, mean %v, slope %v; want 0, 0, 87.3, 0",
			got[FeatStd], got[FeatZLast], got[FeatMean], got[FeatSlope])
	}
}

func TestExtractEmptyAndShortWindows(t *testing.T) {
	dst := []float64{9, 9, 9, 9, 9, 9, 9, 9, 9}
	for _, f := range Extract(dst, window.Closed{}) {
		if f != 0 {
			t.Fatalf("empty window gives %v, want all zeros", dst)
		}
	}
	one := Extract(dst, window.Closed{Values: []float64{4}})
	if one[FeatLast] != 4 || one[FeatMean] != 4 || one[FeatStd] != 0 || one[FeatSlope] != 0 {
		t.Errorf("one-value window gives %v", one)
	}
}

func TestExtractDoesNotAllocate(t *testing.T) {
	dst := make([]float64, NumFeatures)
	c := window.Closed{Values: dailySeries(windowSize, 1)}
	if n := testing.AllocsPerRun(100, func() { Extract(dst, c) }); n != 0 {
		t.Errorf("Extract allocates %v times per call", n)
	}
}

func TestFeatureNames(t *testing.T) {
	seen := map[string]bool{}
	for f := range NumFeatures {
		name := Feature(f).String()
		if name == "" || name == "feature?" || seen[name] {
			t.Errorf("feature %d has name %q", f, name)
		}
		seen[name] = true
	}
	if Feature(NumFeatures).String() != "feature?" {
		t.Error("an out-of-range feature has a real name")
	}
}
