package anomaly

import "math"

// likelihood is a host's running picture of its own forest scores, after
// Numenta's AnomalyLikelihood (Ahmad et al., 2017): how surprising is the
// recent score given the scores this host usually gets?
//
// A raw Isolation Forest score is not comparable across hosts, nor across
// refits of one host: on a smooth host normal windows score 0.50-0.53 and a
// burst far outside the history only about 0.59, while on a bursty host
// ordinary windows reach 0.62 (see hostBar). A fixed threshold is therefore
// too strict for the first and too loose for the second. Here each host
// keeps an exponentially weighted mean and variance of its scores over
// about Config.ScoreSpan windows, and a short exponentially weighted mean
// over about Config.ShortSpan windows; a window is surprising when the
// normal tail probability of the short mean under the long-run mean and
// variance is at most Config.TailProb.
//
// In ScopeGroup this is what makes a shared forest usable: the forest is
// the group's, but each host is judged against the scores it usually gets
// from it, so a host that always sits apart from its group (high scores
// every window) is not flagged for that, only for a change.
//
// 16 bytes: float32 is plenty for scores in [0, 1].
type likelihood struct {
	mean, vari float32 // long-run EW mean and variance of the scores
	short      float32 // short EW mean of the scores
	n          uint32  // scores seen, saturating
}

// minScoreStd keeps the tail probability finite and sane on a host whose
// scores barely move (an idle host whose every window isolates alike):
// score differences under about a hundredth are noise of the random trees.
const minScoreStd = 0.01

// tail folds the score s into the short mean and returns the tail
// probability of the new short mean under the long-run statistics from
// before s, and whether enough scores were seen (warm) for it to mean
// anything. It does not update the long-run statistics: see learn.
func (l *likelihood) tail(s float64, cfg *Config) (p float64, warm bool) {
	a := float32(2 / (float64(cfg.ShortSpan) + 1))
	if l.n == 0 {
		l.short = float32(s)
	} else {
		l.short += a * (float32(s) - l.short)
	}
	if int(l.n) < cfg.ScoreWarmup {
		return 1, false
	}
	sd := max(math.Sqrt(float64(l.vari)), minScoreStd)
	z := (float64(l.short) - float64(l.mean)) / sd
	return 0.5 * math.Erfc(z/math.Sqrt2), true
}

// learn folds s into the long-run mean and variance: a plain mean and
// variance for the first ScoreSpan scores, exponentially weighted after.
func (l *likelihood) learn(s float64, cfg *Config) {
	if l.n < math.MaxUint32 {
		l.n++
	}
	a := max(2/(float64(cfg.ScoreSpan)+1), 1/float64(l.n))
	d := s - float64(l.mean)
	inc := a * d
	l.mean = float32(float64(l.mean) + inc)
	l.vari = float32((1 - a) * (float64(l.vari) + d*inc))
}
