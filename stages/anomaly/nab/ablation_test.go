package nab

import (
	"os"
	"testing"

	"github.com/scalora/scalora/stages/anomaly"
)

// TestFeatureAblation measures what each feature is worth: the NAB
// standard score with every feature, then without each one (the forest
// never splits on it; the kind rules still read it), on the training
// traces (averaged over sweepSeeds forest seeds, each trace its own host)
// and on the seven NAB files, with the forecast stage's residuals.
// Measurement only: nothing is chosen from the NAB column. It takes a few
// minutes, so it runs only with SCALORA_ANOMALY_ABLATION=1.
func TestFeatureAblation(t *testing.T) {
	if os.Getenv("SCALORA_ANOMALY_ABLATION") == "" {
		t.Skip("set SCALORA_ANOMALY_ABLATION=1 to run the feature ablation")
	}
	train := trainingFiles(t)
	var fcs []replay
	for _, f := range train {
		fcs = append(fcs, forecastsOf(t, f.s))
	}
	files, labels := nabFiles(t)

	run := func(name string, ignore []anomaly.Feature) {
		acfg := anomaly.Config{Ignore: ignore}
		s, tp, fn, fp := meanOverSeeds(t, train, fcs, acfg, false)
		rep, err := Evaluate(files, labels, EvalConfig{Anomaly: acfg, NewForecaster: defaultForecaster})
		if err != nil {
			t.Fatal(err)
		}
		n := rep.Overall[0]
		t.Logf("%-14s training: standard %5.1f (tp %4.1f fn %4.1f fp %5.1f)   NAB: standard %5.1f low_fp %5.1f low_fn %5.1f (tp %d fn %d fp %d)",
			name, s[0], tp, fn, fp, n.Normalised, rep.Overall[1].Normalised, rep.Overall[2].Normalised, n.TP, n.FN, n.FP)
	}

	run("all features", nil)
	for f := range anomaly.NumFeatures {
		run("without "+anomaly.Feature(f).String(), []anomaly.Feature{anomaly.Feature(f)})
	}
	run("without resid*", []anomaly.Feature{anomaly.FeatResid, anomaly.FeatResidZ})
	run("without min, max, slope", []anomaly.Feature{anomaly.FeatMin, anomaly.FeatMax, anomaly.FeatSlope})
}
