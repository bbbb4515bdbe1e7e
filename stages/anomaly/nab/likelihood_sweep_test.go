package nab

import (
	"fmt"
	"os"
	"testing"

	"github.com/scalora/scalora/stages/anomaly"
)

// TestChooseLikelihoodOnTraining is the sweep the shared-forest defaults
// (anomaly.Config TailProb, SharedThreshold, ScoreSpan, ShortSpan,
// ScoreWarmup) were chosen from: the 18 training traces run as hosts of
// one group through one detector (EvalConfig.Shared), with the forecast
// stage's residuals, each setting averaged over sweepSeeds forest seeds.
// The first line is the same traces each its own host, for the cost of
// sharing. Nothing here reads the NAB files. It takes about two minutes,
// so it runs only with SCALORA_ANOMALY_SWEEP=lik.
func TestChooseLikelihoodOnTraining(t *testing.T) {
	if os.Getenv("SCALORA_ANOMALY_SWEEP") != "lik" {
		t.Skip("set SCALORA_ANOMALY_SWEEP=lik to run the likelihood sweep on the training traces")
	}
	files := trainingFiles(t)
	fcs := trainingForecasts(t, files)
	log := func(name string, s [3]float64, tp, fn, fp float64) {
		t.Logf("%-40s standard %5.1f low_fp %5.1f low_fn %5.1f  tp %4.1f fn %4.1f fp %5.1f", name, s[0], s[1], s[2], tp, fn, fp)
	}
	s, tp, fn, fp := meanOverSeeds(t, files, fcs, anomaly.Config{}, false)
	log("each its own host, defaults", s, tp, fn, fp)

	try := func(name string, cfg anomaly.Config) {
		cfg.Scope = anomaly.ScopeGroup
		s, tp, fn, fp := meanOverSeeds(t, files, fcs, cfg, true)
		log("one group, "+name, s, tp, fn, fp)
	}
	try("defaults", anomaly.Config{})
	try("no likelihood, threshold 0.62", anomaly.Config{TailProb: -1, Threshold: 0.62})
	try("no likelihood, threshold 0.65", anomaly.Config{TailProb: -1, Threshold: 0.65})
	for _, tail := range []float64{3e-5, 1e-4, 3e-4, 1e-3, 2e-3, 5e-3, 1e-2} {
		try(fmt.Sprintf("tail %.0e floor 0.50", tail), anomaly.Config{TailProb: tail, SharedThreshold: 0.5})
	}
	try("tail 1e-03 floor 0.45", anomaly.Config{TailProb: 1e-3, SharedThreshold: 0.45})
	try("tail 1e-04 floor 0.52", anomaly.Config{TailProb: 1e-4, SharedThreshold: 0.52})
	try("tail 1e-04 floor 0.55", anomaly.Config{TailProb: 1e-4, SharedThreshold: 0.55})
	try("short span 3", anomaly.Config{ShortSpan: 3})
	try("score span 288", anomaly.Config{ScoreSpan: 288})
	try("score span 2016", anomaly.Config{ScoreSpan: 2016})
	try("score warm-up 144", anomaly.Config{ScoreWarmup: 144})
	try("score warm-up 576", anomaly.Config{ScoreWarmup: 576})
}
