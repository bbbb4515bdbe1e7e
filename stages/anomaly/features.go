package anomaly

import (
	"math"

	"github.com/scalora/scalora/stages/window"
)

// Feature names one value of the feature vector that Extract writes; its
// value is the vector's index.
type Feature int

// The features of a window, in vector order. All are in CPU percent unless
// said otherwise. The first seven describe the shape of one window only and
// come from Extract; the last two compare the step with what the forecast
// stage predicted for it, and come from the Detector (see
// Detector.ObserveForecast), which compares them all with the host's own
// history.
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
	// FeatResid is the step's value less the forecast stage's one-step
	// forecast of it: what the model did not expect. 0 when no forecast of
	// the step was observed.
	FeatResid
	// FeatResidZ is FeatResid over the robust scale of the host's recent
	// residuals (see hostMeta), unitless: the same miss means more on a
	// host the model usually predicts well. 0 when FeatResid is.
	FeatResidZ

	// NumFeatures is the length of a feature vector.
	NumFeatures = int(iota)
)

var featureNames = [NumFeatures]string{
	FeatLast:   "last",
	FeatMean:   "mean",
	FeatStd:    "std",
	FeatMin:    "min",
	FeatMax:    "max",
	FeatSlope:  "slope",
	FeatZLast:  "z_last",
	FeatResid:  "resid",
	FeatResidZ: "resid_z",
}

// String is the feature's short name, as used in explanations.
func (f Feature) String() string {
	if f < 0 || int(f) >= NumFeatures {
		return "feature?"
	}
	return featureNames[f]
}

// Extract writes the window features of c (c.Values) into dst, which must
// have room for NumFeatures values (a shorter dst panics), and returns
// dst[:NumFeatures]. The residual features need the forecast and the
// host's past residuals: Extract writes them as 0 and the Detector fills
// them in. It does not allocate and does not keep c.Values, which
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
