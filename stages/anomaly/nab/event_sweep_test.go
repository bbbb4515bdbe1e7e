package nab

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/scalora/scalora/stages/anomaly"
)

// TestChooseEventOnTraining is the sweep Config.Persist and Config.Rearm
// were measured with, on the training traces (each its own host, forecast
// residuals, mean of sweepSeeds seeds), after a breakdown of where the
// default detector's false positives fall: within two days after the end
// of a labelled window (a fault already reported, or its aftermath), or
// elsewhere. It runs only with SCALORA_ANOMALY_SWEEP=1.
func TestChooseEventOnTraining(t *testing.T) {
	if os.Getenv("SCALORA_ANOMALY_SWEEP") == "" {
		t.Skip("set SCALORA_ANOMALY_SWEEP=1 to run the parameter sweep on the training traces")
	}
	files := trainingFiles(t)
	fcs := trainingForecasts(t, files)

	after, elsewhere := 0, 0
	for i, f := range files {
		fc := fcs[i]
		cfg := EvalConfig{NewForecaster: func() (Forecaster, error) { return fc, nil }}
		cfg.SetDefaults()
		rows, err := Detect(f.s, cfg)
		if err != nil {
			t.Fatal(err)
		}
		a, e := falsePositivePlaces(rowTimes(f.s), rows, f.windows, ProbationLength(len(f.s.Points)))
		after += a
		elsewhere += e
		t.Logf("%-22s faults %v: false positives %d after a window, %d elsewhere", f.s.Name, f.kinds, a, e)
	}
	t.Logf("seed 0: false positives within two days after a window %d, elsewhere %d", after, elsewhere)
	for _, k := range []int{1, 2} {
		t.Logf("seed 0, persist %d: windows missed by fault kind %v", k, missedKinds(t, files, fcs, anomaly.Config{Persist: k}))
	}

	try := func(name string, cfg anomaly.Config) {
		s, tp, fn, fp := meanOverSeeds(t, files, fcs, cfg, false)
		t.Logf("%-24s standard %5.1f low_fp %5.1f low_fn %5.1f  tp %4.1f fn %4.1f fp %5.1f", name, s[0], s[1], s[2], tp, fn, fp)
	}
	try("defaults", anomaly.Config{})
	for _, k := range []int{2, 3, 4, 6} {
		try(fmt.Sprintf("persist %d", k), anomaly.Config{Persist: k})
	}
	for _, r := range []float64{0.55, 0.58, 0.6} {
		try(fmt.Sprintf("rearm %.2f", r), anomaly.Config{Rearm: r})
	}
	try("cooldown 144", anomaly.Config{Cooldown: 144})
	// A persistent anomaly scores lower by its second window (the window
	// holding a burst's last step has the highest score), so Persist is
	// also tried with lower thresholds.
	for _, k := range []int{2, 3} {
		for _, th := range []float64{0.56, 0.58, 0.60, 0.62} {
			try(fmt.Sprintf("persist %d threshold %.2f", k, th), anomaly.Config{Persist: k, Threshold: th})
		}
	}
}

// missedKinds counts the training windows no detection falls in, by the
// kind of fault injected there.
func missedKinds(t *testing.T, files []injected, fcs []replay, acfg anomaly.Config) map[string]int {
	out := map[string]int{}
	for i, f := range files {
		fc := fcs[i]
		cfg := EvalConfig{Anomaly: acfg, NewForecaster: func() (Forecaster, error) { return fc, nil }}
		cfg.SetDefaults()
		rows, err := Detect(f.s, cfg)
		if err != nil {
			t.Fatal(err)
		}
		times := rowTimes(f.s)
		for j, w := range f.windows {
			hit := false
			for _, r := range rows {
				if !times[r].Before(w.Start) && !times[r].After(w.End) {
					hit = true
				}
			}
			if !hit {
				out[f.kinds[j]]++
			}
		}
	}
	return out
}

// falsePositivePlaces splits the detections of rows after probation that
// fall outside every window into those within two days after a window's
// end and the rest.
func falsePositivePlaces(times []time.Time, rows []int, windows []Window, probation int) (after, elsewhere int) {
	for _, r := range rows {
		if r < probation {
			continue
		}
		at, inside, near := times[r], false, false
		for _, w := range windows {
			if !at.Before(w.Start) && !at.After(w.End) {
				inside = true
			}
			if at.After(w.End) && at.Sub(w.End) <= 48*time.Hour {
				near = true
			}
		}
		switch {
		case inside:
		case near:
			after++
		default:
			elsewhere++
		}
	}
	return after, elsewhere
}

// TestEventCandidatesOnNAB runs the seven labelled NAB CPU files once
// with the defaults and once with each event setting of
// TestChooseEventOnTraining worth a look (Persist 2, Rearm 0.55), each
// file its own host, and logs the scores. Measurement only: the defaults
// were chosen on the training traces, and nothing is chosen from here. It
// runs only with SCALORA_ANOMALY_SWEEP=nab.
func TestEventCandidatesOnNAB(t *testing.T) {
	if os.Getenv("SCALORA_ANOMALY_SWEEP") != "nab" {
		t.Skip("set SCALORA_ANOMALY_SWEEP=nab to score the event candidates on the NAB files")
	}
	files, labels := nabFiles(t)
	for _, c := range []struct {
		name string
		cfg  anomaly.Config
	}{
		{"defaults", anomaly.Config{}},
		{"persist 2", anomaly.Config{Persist: 2}},
		{"rearm 0.55", anomaly.Config{Rearm: 0.55}},
	} {
		rep, err := Evaluate(files, labels, EvalConfig{Anomaly: c.cfg, NewForecaster: defaultForecaster})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range rep.Files {
			r := f.Results
			t.Logf("%s %-42s windows %d tp %d fn %d fp %d det %d", c.name, f.Key, r[0].Windows, r[0].TP, r[0].FN, r[0].FP, r[0].Detections)
		}
		t.Logf("%-16s NAB standard %5.1f low_fp %5.1f low_fn %5.1f (tp %d fn %d fp %d)", c.name,
			rep.Overall[0].Normalised, rep.Overall[1].Normalised, rep.Overall[2].Normalised, rep.Overall[0].TP, rep.Overall[0].FN, rep.Overall[0].FP)
	}
}
