package anomaly

import (
	"math"
	"testing"
)

// TestLikelihoodTailIsNormalTail: scores alternating 0.50 ± 0.02 have mean
// 0.50 and standard deviation 0.02, so a score of 0.56 (three deviations
// up) has tail probability Q(3) ≈ 0.00135, and one at the mean 0.5.
func TestLikelihoodTailIsNormalTail(t *testing.T) {
	cfg := Config{}
	cfg.SetDefaults()
	var l likelihood
	for i := range 4000 {
		l.learn(0.5+0.02*float64(1-2*(i%2)), &cfg)
	}
	if math.Abs(float64(l.mean)-0.5) > 1e-3 || math.Abs(math.Sqrt(float64(l.vari))-0.02) > 1e-3 {
		t.Fatalf("mean %v sd %v, want 0.5 and 0.02", l.mean, math.Sqrt(float64(l.vari)))
	}
	for _, c := range []struct{ score, want float64 }{{0.56, 0.00135}, {0.5, 0.5}, {0.44, 0.99865}} {
		p, warm := l.tail(c.score, &cfg)
		if !warm || math.Abs(p-c.want) > 0.1*min(c.want, 1-c.want)+1e-4 { // the EW mean wobbles by the last step
			t.Errorf("tail(%v) = %v (warm %v), want %v", c.score, p, warm, c.want)
		}
	}
}

// TestLikelihoodColdAndFlat: before ScoreWarmup scores nothing is judged;
// a host whose scores never move is judged with minScoreStd, so a score
// 0.01 above its constant is one deviation up, not infinitely many.
func TestLikelihoodColdAndFlat(t *testing.T) {
	cfg := Config{}
	cfg.SetDefaults()
	var l likelihood
	for range cfg.ScoreWarmup - 1 {
		l.learn(0.5, &cfg)
	}
	if _, warm := l.tail(0.9, &cfg); warm {
		t.Fatalf("warm after %d scores, want cold before %d", cfg.ScoreWarmup-1, cfg.ScoreWarmup)
	}
	l.learn(0.5, &cfg)
	p, warm := l.tail(0.5+minScoreStd, &cfg)
	if want := 0.5 * math.Erfc(1/math.Sqrt2); !warm || math.Abs(p-want) > 1e-4 {
		t.Errorf("tail one floor above a flat host = %v (warm %v), want %v", p, warm, want)
	}
}

// TestSharedGroupJudgesHostsByTheirOwnScores: in one group, a host that
// always runs far above the others (its windows are unlike most of the
// group's history) is not flagged for being different, only for changing:
// a burst to 99 % on it is reported. (With TailProb off, Threshold alone
// misses this burst.)
func TestSharedGroupJudgesHostsByTheirOwnScores(t *testing.T) {
	d := newDetector(t, Config{Forest: ForestConfig{Seed: 1}})
	hosts := []string{"a", "b", "c"}
	series := map[string][]float64{}
	for i, h := range hosts {
		series[h] = dailySeries(288*5, uint64(20+i))
	}
	high := series["c"]
	for i := range high {
		high[i] = min(100, high[i]*0.3+60) // 66-78 %, where a and b never go
	}
	at := 288*4 + 100
	for i := at; i < at+3; i++ {
		high[i] = 99
	}

	var flaggedBefore, burst int
	for i := range 288 * 5 {
		for _, h := range hosts {
			r := d.Score(closedAt(h, series[h], i))
			if h != "c" || !r.Anomalous {
				continue
			}
			switch {
			case i >= 288*2 && i < at:
				flaggedBefore++
			case i >= at && i < at+3:
				burst++
			}
		}
	}
	if flaggedBefore > 0 {
		t.Errorf("the high host was reported %d times in the two clean days before its burst, want 0", flaggedBefore)
	}
	if burst != 1 {
		t.Errorf("the burst on the high host was reported %d times, want once", burst)
	}
}
