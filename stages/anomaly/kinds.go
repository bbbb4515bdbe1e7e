package anomaly

import "math"

// Kind is the type of an anomalous window, as written in schemas.Anomaly.Kind.
type Kind string

// Kinds of anomaly. The forest says whether a window is anomalous; these
// rules, applied in this order to the window's features, only say how.
const (
	// KindFlatline: the window's std is at most Config.FlatStd while the
	// host's median window std is at least Config.FlatHistoryStd: a stuck
	// metric or a hung process reporting the same value. Such a window is
	// anomalous whatever its forest score (see stuck).
	KindFlatline Kind = "flatline"

	// KindSpike: the last value is more than Config.SpikeZ window standard
	// deviations above the window's mean; or, when no rule fits, the window's
	// max stands further above the host's history than its min below.
	KindSpike Kind = "spike"

	// KindDrop is the mirror of KindSpike: the last value far below the
	// window's mean, or the window's min standing out most.
	KindDrop Kind = "drop"

	// KindIdle: the whole window (its max) stayed under Config.IdlePercent:
	// capacity paid for and unused.
	KindIdle Kind = "idle"
)

// classify types an anomalous window from its raw features x and z, their
// robust z-scores against the history the forest was fitted on (see
// robustZ). histStd is the history's median window std.
//
// The fallback (no rule fits) happens for windows that stand out by shape
// rather than by their last step, most often the windows after a spike that
// still hold it: typing them by their extreme keeps "spike" for them rather
// than an arbitrary kind.
func classify(x, z *[NumFeatures]float64, histStd float64, cfg *Config) Kind {
	if stuck(x, histStd, cfg) {
		return KindFlatline
	}
	if x[FeatZLast] > cfg.SpikeZ {
		return KindSpike
	}
	if x[FeatZLast] < -cfg.SpikeZ {
		return KindDrop
	}
	if x[FeatMax] < cfg.IdlePercent {
		return KindIdle
	}
	if z[FeatMax] >= -z[FeatMin] {
		return KindSpike
	}
	return KindDrop
}

// stuck reports a flat window on a host whose windows usually move.
//
// This rule overrides the forest because the forest cannot see it well: a
// flat window differs from the history in one feature of seven (its std; its
// level is whatever the metric froze at), and an Isolation Forest picks that
// feature at one node in seven, so such windows score about 0.53-0.59 on the
// training series, under any threshold that keeps false alarms rare.
func stuck(x *[NumFeatures]float64, histStd float64, cfg *Config) bool {
	return x[FeatStd] <= cfg.FlatStd && histStd >= cfg.FlatHistoryStd
}

// material reports whether the window x is far enough from the history
// medians med (in forest space, see toForestSpace) in CPU points to matter:
// see Config.MinChange.
func material(x *[NumFeatures]float64, med *[NumFeatures]float64, cfg *Config) bool {
	for _, f := range [...]Feature{FeatLast, FeatMean, FeatMin, FeatMax} {
		if math.Abs(x[f]-math.Expm1(med[f])) >= cfg.MinChange {
			return true
		}
	}
	return math.Abs(x[FeatStd]-stdFromForestSpace(med[FeatStd])) >= cfg.MinChange
}
