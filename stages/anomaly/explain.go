package anomaly

import (
	"math"
	"slices"
	"strconv"
)

// robustStats are the median and robust scale of each feature over a
// history, computed at each fit so that explaining an anomaly costs no sort.
type robustStats struct {
	med   [NumFeatures]float64
	scale [NumFeatures]float64
}

// madToSigma turns a median absolute deviation into a standard deviation
// for normal data; meanADToSigma does the same for a mean absolute deviation.
const (
	madToSigma    = 1.4826
	meanADToSigma = 1.2533
)

// minScale keeps robust z finite when a feature never varied in the
// history (a host always at 0.066 %): any change then scores very high,
// which is what it is, and maxShownZ caps what the explanation prints.
const (
	minScale  = 1e-6
	maxShownZ = 999
)

// compute fills s from rows vectors of hist (NumFeatures values each), using
// col (at least rows long) as scratch.
func (s *robustStats) compute(hist []float64, rows int, col []float64) {
	col = col[:rows]
	for f := range NumFeatures {
		for i := range rows {
			col[i] = hist[i*NumFeatures+f]
		}
		slices.Sort(col)
		med := median(col)

		var sumAD float64
		for i, v := range col {
			col[i] = math.Abs(v - med)
			sumAD += col[i]
		}
		slices.Sort(col)
		scale := madToSigma * median(col)

		// More than half the history on one value gives MAD 0 (an idle host
		// at its floor); the mean deviation still sees the rest.
		if scale == 0 {
			scale = meanADToSigma * sumAD / float64(rows)
		}
		s.med[f] = med
		s.scale[f] = max(scale, minScale)
	}
}

// robustZ writes into z how far each feature of x is from the history, in
// robust standard deviations.
func (s *robustStats) robustZ(z, x *[NumFeatures]float64) {
	for f := range NumFeatures {
		z[f] = (x[f] - s.med[f]) / s.scale[f]
	}
}

func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// Explanation shows at most this many features, and skips those under
// minShownZ unless none reaches it.
const (
	maxShown  = 3
	minShownZ = 2
)

// explain names the features furthest from the history, e.g.
// "last=93.1 (z=6.2), max=93.1 (z=5.0)". It allocates the string only.
func explain(x, z *[NumFeatures]float64) string {
	var order [NumFeatures]Feature
	for i := range order {
		order[i] = Feature(i)
	}
	slices.SortStableFunc(order[:], func(a, b Feature) int {
		za, zb := math.Abs(z[a]), math.Abs(z[b])
		switch {
		case za > zb:
			return -1
		case za < zb:
			return 1
		}
		return 0
	})

	var buf [160]byte
	out := buf[:0]
	for i, f := range order[:maxShown] {
		if i > 0 && math.Abs(z[f]) < minShownZ {
			break
		}
		if i > 0 {
			out = append(out, ", "...)
		}
		out = append(out, f.String()...)
		out = append(out, '=')
		out = strconv.AppendFloat(out, x[f], 'f', precision(x[f]), 64)
		out = append(out, " (z="...)
		zz := max(-maxShownZ, min(maxShownZ, z[f]))
		out = strconv.AppendFloat(out, zz, 'f', 1, 64)
		out = append(out, ')')
	}
	return string(out)
}

// precision prints small values (an idle host's 0.066 %) with enough
// digits to tell them apart, and the rest with one decimal.
func precision(v float64) int {
	if a := math.Abs(v); a != 0 && a < 1 {
		return 3
	}
	return 1
}
