package anomaly

import "math"

// stdFloor is added to a window's std before its log, so that a flat window
// (std 0) maps to a finite value: ln(0.01) ≈ -4.6, far below any window
// that moves by more than a hundredth of a CPU point.
const stdFloor = 0.01

// toForestSpace maps raw features (as Extract writes them) into the space
// the forest is fitted and scored in, in place.
//
// An Isolation Forest splits uniformly between a feature's min and max, so
// the scale it sees decides what stands out. The faults that matter most for
// capacity live near zero, where raw CPU values crowd together: a window
// gone flat (std 0 next to a usual 2-10) or idle (1 % next to a usual 20-60)
// is barely outside the raw range, but far outside on a log scale. So levels
// (last, mean, min, max) go through log1p and std through log(std+0.01);
// the residual, signed, through sign(r)·log1p(|r|), so that a miss of 2
// points on a quiet host is not drowned by the 40-point misses of a busy
// day; slope, z_last and resid_z, already relative, stay as they are. The
// maps are monotone: they change which splits are likely, not the order of
// values.
func toForestSpace(x *[NumFeatures]float64) {
	for _, f := range [...]Feature{FeatLast, FeatMean, FeatMin, FeatMax} {
		x[f] = math.Log1p(max(0, x[f]))
	}
	x[FeatStd] = math.Log(x[FeatStd] + stdFloor)
	x[FeatResid] = math.Copysign(math.Log1p(math.Abs(x[FeatResid])), x[FeatResid])
}

// stdFromForestSpace inverts the std map of toForestSpace.
func stdFromForestSpace(v float64) float64 {
	return max(0, math.Exp(v)-stdFloor)
}
