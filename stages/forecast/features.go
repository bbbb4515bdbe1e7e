package forecast

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Per-step input features. Every model reads the two base features first
// (Features); the optional ones below may follow, in any order, each at
// most once (Architecture.Features lists a model's).
const (
	// FeatureDeltaLast is (x - last) / s, see Features.
	FeatureDeltaLast = "delta_last"
	// FeatureLevel is x / LevelScale, see Features.
	FeatureLevel = "level"
	// FeatureTimeOfDaySin and FeatureTimeOfDayCos are sin and cos of
	// 2*pi*(seconds since midnight UTC of the step)/86400: the time of
	// day, with 23:55 next to 00:00. They need the time of the window's
	// last step (PredictAt).
	FeatureTimeOfDaySin = "time_of_day_sin"
	FeatureTimeOfDayCos = "time_of_day_cos"
	// FeatureDayAgoAhead is (x[j+Horizon-Season] - last) / s at input step
	// j: the value one season (a day) before the step Horizon steps after
	// j, scaled like delta_last. Over the last Horizon input steps it is
	// the value a day before each forecast target. It needs
	// Season-Horizon steps of history before the window (PredictAt); the
	// window stage does not keep them (see Stage).
	FeatureDayAgoAhead = "day_ago_ahead"
	// FeatureSmoothedLevel is (e[j] - last) / s at input step j, where e
	// is the exponentially smoothed level of the history with alpha =
	// 1/ewmaSteps, started ewmaWarmup steps before the window at the value
	// there (so it forgets its start by e^-4). It needs ewmaWarmup steps
	// of history before the window (PredictAt).
	FeatureSmoothedLevel = "smoothed_level"
)

// The smoothed level's time constant and warm-up, in steps.
const (
	ewmaSteps  = 48
	ewmaWarmup = 4 * ewmaSteps
)

// optionalFeatures are the features a model may add after Features.
var optionalFeatures = []string{FeatureTimeOfDaySin, FeatureTimeOfDayCos, FeatureDayAgoAhead, FeatureSmoothedLevel}

// checkFeatures verifies that fs starts with Features and that the rest are
// distinct optional features.
func checkFeatures(fs []string) error {
	if len(fs) < len(Features) || !slices.Equal(fs[:len(Features)], Features) {
		return fmt.Errorf("%w: features %q must start with %q", ErrShape, fs, Features)
	}
	rest := fs[len(Features):]
	for i, f := range rest {
		if !slices.Contains(optionalFeatures, f) {
			return fmt.Errorf("%w: unknown feature %q (known: %q)", ErrShape, f, append(append([]string(nil), Features...), optionalFeatures...))
		}
		if slices.Contains(rest[:i], f) {
			return fmt.Errorf("%w: feature %q given twice", ErrShape, f)
		}
	}
	return nil
}

// featureSet is a model's optional features, resolved once by prepare.
type featureSet struct {
	n        int // len(Architecture.Features)
	tod      bool
	dayAgo   bool
	todSin   int // column of time_of_day_sin, if tod
	todCos   int
	dayAgoAt int // column of day_ago_ahead, if dayAgo
	ewma     bool
	ewmaAt   int // column of smoothed_level, if ewma
}

func newFeatureSet(fs []string) featureSet {
	s := featureSet{n: len(fs)}
	for i, f := range fs {
		switch f {
		case FeatureTimeOfDaySin:
			s.tod, s.todSin = true, i
		case FeatureTimeOfDayCos:
			s.tod, s.todCos = true, i
		case FeatureDayAgoAhead:
			s.dayAgo, s.dayAgoAt = true, i
		case FeatureSmoothedLevel:
			s.ewma, s.ewmaAt = true, i
		}
	}
	return s
}

// MinHistory is the fewest steps of history PredictAt needs: InputSize,
// plus Season-Horizon more when the model reads day_ago_ahead or
// ewmaWarmup more with smoothed_level, whichever is more.
func (m *Model) MinHistory() int {
	return InputSize + historyBefore(m.Arch.Features, m.Arch.Season, m.Arch.Horizon)
}

// historyBefore is how many steps before a window the features fs read,
// with season and horizon in steps.
func historyBefore(fs []string, season, horizon int) int {
	n := 0
	if slices.Contains(fs, FeatureDayAgoAhead) {
		n = max(season-horizon, 0)
	}
	if slices.Contains(fs, FeatureSmoothedLevel) {
		n = max(n, ewmaWarmup)
	}
	return n
}

// NeedsHistory reports whether the model reads more than its window
// (day_ago_ahead, smoothed_level): then only PredictAt can run it.
func (m *Model) NeedsHistory() bool { return m.feats.dayAgo || m.feats.ewma }

// NeedsTime reports whether the model reads the time of day: then Predict
// (which has no time) feeds midnight UTC, and callers should use PredictAt.
func (m *Model) NeedsTime() bool { return m.feats.tod }

// fillFeatures writes the InputSize x len(Features) inputs of the window
// ending at history's last step into dst. last is the Unix time in seconds
// of that step (ignored without time features); step the seconds between
// steps. history must hold m.MinHistory() steps when the model reads
// day_ago_ahead, else at least InputSize.
func (m *Model) fillFeatures(history []float64, lastUnix, step float64, dst []float64) {
	fs := m.feats
	n := len(history)
	window := history[n-InputSize:]
	last, s, ls := window[InputSize-1], m.Norm.scale(window), m.Norm.LevelScale
	var e float64
	const alpha = 1.0 / ewmaSteps
	if fs.ewma {
		w0 := n - InputSize - ewmaWarmup
		e = history[w0]
		for _, x := range history[w0+1 : n-InputSize] {
			e += alpha * (x - e)
		}
	}
	for t, x := range window {
		row := dst[t*fs.n : t*fs.n+fs.n]
		row[0] = (x - last) / s
		row[1] = x / ls
		if fs.tod {
			sec := math.Mod(lastUnix-float64(InputSize-1-t)*step, 86400)
			if sec < 0 {
				sec += 86400
			}
			sn, cs := math.Sincos(2 * math.Pi * sec / 86400)
			row[fs.todSin], row[fs.todCos] = sn, cs
		}
		if fs.dayAgo {
			j := n - InputSize + t + m.Arch.Horizon - m.Arch.Season
			row[fs.dayAgoAt] = (history[j] - last) / s
		}
		if fs.ewma {
			e += alpha * (x - e)
			row[fs.ewmaAt] = (e - last) / s
		}
	}
}

// unixSeconds is t as float seconds; the zero time gives 0.
func unixSeconds(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.UnixNano()) / 1e9
}
