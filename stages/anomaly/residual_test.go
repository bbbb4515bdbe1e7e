package anomaly

import (
	"math"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas"
)

// forecastOf is the forecast stage's record made when step i closed: one
// step ahead, predicting pred.
func forecastOf(host string, i int, pred float64) schemas.Forecast {
	return schemas.Forecast{
		Host: host, Time: t0.Add(time.Duration(i) * 5 * time.Minute), StepSeconds: 300,
		Values: []float64{pred, pred}, Ready: true,
	}
}

func TestResidualFeaturesFromObservedForecasts(t *testing.T) {
	series := dailySeries(200, 3)
	d := newDetector(t, Config{})

	// The forecast made at step 10 predicts step 11 at 30; step 11 comes
	// in at series[11].
	d.Score(closedAt("h", series, 10))
	d.ObserveForecast(forecastOf("h", 10, 30))
	var x [NumFeatures]float64
	d.metas["h"].residuals(schemas.Step{Host: "h", Time: t0.Add(11 * 5 * time.Minute), CPU: 42}, &x)
	if x[FeatResid] != 12 {
		t.Errorf("resid = %v, want 42 - 30 = 12", x[FeatResid])
	}
	if x[FeatResidZ] != 0 {
		t.Errorf("resid_z = %v before %d residuals, want 0", x[FeatResidZ], residWarmup)
	}

	// A step nobody forecast gets no residual.
	x = [NumFeatures]float64{}
	d.metas["h"].residuals(schemas.Step{Host: "h", Time: t0.Add(50 * 5 * time.Minute), CPU: 42}, &x)
	if x[FeatResid] != 0 || x[FeatResidZ] != 0 {
		t.Errorf("unforecast step got resid %v, z %v", x[FeatResid], x[FeatResidZ])
	}
}

// TestResidualZAgainstRecentMisses: a host whose forecasts always miss by
// 2 points has a residual scale of 1.2533 × 2; a miss of 10 then has
// z = 10 / 2.5066 ≈ 3.99, whichever order the pipeline calls
// ObserveForecast and Score in.
func TestResidualZAgainstRecentMisses(t *testing.T) {
	series := dailySeries(120, 4)
	for _, before := range []bool{true, false} {
		d := newDetector(t, Config{})
		for i := range series {
			f := forecastOf("h", i, 0)
			if i+1 < len(series) {
				f.Values[0] = series[i+1] - 2
			}
			if before {
				d.ObserveForecast(f)
			}
			d.Score(closedAt("h", series, i))
			if !before {
				d.ObserveForecast(f)
			}
		}
		m := d.metas["h"]
		if math.Abs(float64(m.meanAbs)-2) > 1e-4 { // float32 state
			t.Fatalf("before=%v: mean |resid| %v after %d steps, want 2", before, m.meanAbs, m.n)
		}
		d.ObserveForecast(forecastOf("h", len(series), 40))
		var x [NumFeatures]float64
		m.residuals(schemas.Step{Host: "h", Time: t0.Add(time.Duration(len(series)+1) * 5 * time.Minute), CPU: 50}, &x)
		if x[FeatResid] != 10 || math.Abs(x[FeatResidZ]-10/(meanADToSigma*2)) > 1e-3 {
			t.Errorf("before=%v: resid %v z %v, want 10 and %v", before, x[FeatResid], x[FeatResidZ], 10/(meanADToSigma*2))
		}
	}
}

func TestObserveForecastIgnoresFallbacks(t *testing.T) {
	d := newDetector(t, Config{})
	f := forecastOf("h", 1, 30)
	f.Ready = false
	d.ObserveForecast(f)
	d.ObserveForecast(schemas.Forecast{Host: "h", Ready: true, StepSeconds: 300})
	if m := d.metas["h"]; m != nil {
		t.Errorf("fallback or empty forecasts kept: %+v", m.pending)
	}
}

func TestIgnoredFeatureIsNeverSplitOn(t *testing.T) {
	series := dailySeries(600, 5)
	d := newDetector(t, Config{Scope: ScopeHost, Ignore: []Feature{FeatStd, FeatSlope}})
	run(d, "h", series)
	f := d.states["h"].forest
	for _, n := range f.nodes {
		if n.left != 0 && (Feature(n.feat) == FeatStd || Feature(n.feat) == FeatSlope) {
			t.Fatalf("a node splits on ignored feature %s", Feature(n.feat))
		}
	}
}

// TestHostBarIsTheHostsOwnQuantile: with HostQuantile on, a host's bar is
// a high quantile of its own in-sample scores, above the normal windows'
// typical 0.5 and below 1; with it off (the default) the bar is 0 and
// Threshold alone decides.
func TestHostBarIsTheHostsOwnQuantile(t *testing.T) {
	s := dailySeries(1200, 6)
	d := newDetector(t, Config{Scope: ScopeHost, Threshold: 0.55, HostQuantile: 0.99, Forest: ForestConfig{Seed: 1}})
	run(d, "h", s)
	st := d.states["h"]
	bar := st.bar
	if bar < 0.5 || bar > 0.8 {
		t.Errorf("bar %.3f, want between the normal scores (about 0.5) and 0.8", bar)
	}

	// About 1 % of the history scores at or above a 0.99 bar, by
	// construction (in sample).
	above := 0
	for r := range st.count {
		if st.forest.Score(st.hist[r*NumFeatures:(r+1)*NumFeatures]) >= bar {
			above++
		}
	}
	if frac := float64(above) / float64(st.count); frac > 0.03 {
		t.Errorf("%.1f %% of the history at or above the bar, want about 1 %%", 100*frac)
	}

	d = newDetector(t, Config{Scope: ScopeHost, Forest: ForestConfig{Seed: 1}})
	run(d, "h", s)
	if b := d.states["h"].bar; b != 0 {
		t.Errorf("bar %v with HostQuantile off, want 0", b)
	}
}
