package anomaly

import (
	"math"

	"github.com/scalora/scalora/stages/window"
)

// Feature names one value of the feature vector that Extract writes; its
// value is the vector's index.
type Feature int

// The features of a window, in vector order. All are in CPU percent unless
// said otherwise. They describe the shape of one window only; the Detector
// compares them with the host's own history.
//
// Not there yet: the residual of the forecast stage (what the LSTM predicted
// for this step against what came), which would flag a step that is normal
// for the window but unexpected for the time of day. It comes with a later
// change, as more features appended here.
const (
	// FeatLast is the window's last value, the step that just closed.
	FeatLast Feature = iota
	// FeatMean is the mean of the window.
	FeatMean
	// FeatStd is the population standard deviation of the window (divided
	// by n, not n-1: the window is all there is, not a sample of it).
	FeatStd
	// FeatMin is the smallest value of the window.
	FeatMin
	// FeatMax is the largest value of the window.
	FeatMax
	// FeatSlope is the least-squares slope of the window against the step
	// index, in percent per step: the trend over the window.
	FeatSlope
	// FeatZLast is the last value's z-score against its own window,
	// (last - mean) / std, unitless; 0 when the window is constant.
	FeatZLast

	// NumFeatures is the length of a feature vector.
	NumFeatures = int(iota)
)

var featureNames = [NumFeatures]string{
	FeatLast:  "last",
	FeatMean:  "mean",
	FeatStd:   "std",
	FeatMin:   "min",
	FeatMax:   "max",
	FeatSlope: "slope",
	FeatZLast: "z_last",
}

// String is the feature's short name, as used in explanations.
func (f Feature) String() string {
	if f < 0 || int(f) >= NumFeatures {
		return "feature?"
	}
	return featureNames[f]
}

// Extract writes the features of c's window (c.Values) into dst, which must
// have room for NumFeatures values (a shorter dst panics), and returns
// dst[:NumFeatures]. It does not allocate and does not keep c.Values, which
// the windower reuses.
//
// Extract does not look at c.Ready: the Detector only passes full windows,
// because features of windows of different lengths are not comparable. An
// empty window gives all zeros.
func Extract(dst []float64, c window.Closed) []float64 {
	dst = dst[:NumFeatures]
	clear(dst)

	vals := c.Values
	n := len(vals)
	if n == 0 {
		return dst
	}

	// Two passes (mean, then spread) rather than running sums of squares,
	// which lose the spread of a busy host to cancellation.
	lo, hi := vals[0], vals[0]
	var sum float64
	for _, v := range vals {
		sum += v
		lo = min(lo, v)
		hi = max(hi, v)
	}
	mean := sum / float64(n)
	if lo == hi {
		// sum/n need not give back the value exactly; a flat window must
		// read as mean = value, std = 0.
		mean = lo
	}

	// Slope against the index i, centred at (n-1)/2 so the mean of x is 0:
	// slope = Σ (x_i)(v_i - mean) / Σ x_i².
	xm := float64(n-1) / 2
	var ss, sxy, sxx float64
	for i, v := range vals {
		d := v - mean
		x := float64(i) - xm
		ss += d * d
		sxy += x * d
		sxx += x * x
	}
	std := math.Sqrt(ss / float64(n))

	last := vals[n-1]
	dst[FeatLast] = last
	dst[FeatMean] = mean
	dst[FeatStd] = std
	dst[FeatMin] = lo
	dst[FeatMax] = hi
	if sxx > 0 {
		dst[FeatSlope] = sxy / sxx
	}
	if std > 0 {
		dst[FeatZLast] = (last - mean) / std
	}
	return dst
}
