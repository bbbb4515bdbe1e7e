package forecast

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/stages/window"
)

// referenceShares replays a blend the plain way: every origin's whole
// forecast kept, every candidate's error summed with decay when its step
// closes. It returns the share chosen at each origin and horizon.
func referenceShares(x []float64, corr [][]float64, first, horizon int) [][]int {
	errs := make([][]float64, horizon)
	for h := range errs {
		errs[h] = make([]float64, len(blendShares))
	}
	chosen := make([][]int, len(x)+1)
	for t := first; t <= len(x); t++ {
		// x[t-1] just closed: score the origins that forecast it.
		for h := 1; h <= horizon; h++ {
			q := t - h // origin q forecast x[q..] from history x[:q]
			if q < first {
				for k := range errs[h-1] {
					errs[h-1][k] *= BlendDecay
				}
				continue
			}
			last := x[q-1]
			d := math.Round(corr[q][h-1]*pendScale) / pendScale
			for k, share := range blendShares {
				f := min(max(0, last+float64(share)*d), max(100, last+d))
				errs[h-1][k] = BlendDecay*errs[h-1][k] + math.Abs(f-x[t-1])
			}
		}
		chosen[t] = make([]int, horizon)
		for h := range horizon {
			best := modelShare // the model's own while nothing is known, and on ties
			for k, e := range errs[h] {
				if e < errs[h][best] {
					best = k
				}
			}
			chosen[t][h] = best
		}
	}
	return chosen
}

func TestBlendMatchesThePlainReplay(t *testing.T) {
	const horizon, first = 7, 10
	rng := rand.New(rand.NewPCG(5, 5))
	n := 400
	x := make([]float64, n)
	corr := make([][]float64, n+1)
	for i := range x {
		x[i] = 50 + 20*math.Sin(float64(i)/9) + rng.NormFloat64()*3
	}
	for i := range corr {
		corr[i] = make([]float64, horizon)
		for h := range corr[i] {
			// Corrections right at short horizons, noise at long ones.
			if i > 0 && i+h < n && h < 3 {
				corr[i][h] = x[i+h] - x[i-1]
			} else {
				corr[i][h] = rng.NormFloat64() * 10
			}
		}
	}
	want := referenceShares(x, corr, first, horizon)

	b := newBlend(horizon)
	out := make([]float64, horizon)
	for o := first; o <= n; o++ {
		b.observe(x[:o])
		last := x[o-1]
		for h := range out {
			out[h] = last + corr[o][h]
		}
		b.apply(last, out)
		for h := range out {
			share := blendShares[want[o][h]]
			// apply scales the unrounded correction: compare within the rounding.
			if w := blended(last, share, corr[o][h]); math.Abs(out[h]-w) > 0.01 {
				t.Fatalf("origin %d h%d: blended %v, the plain replay's share %v gives %v", o, h+1, out[h], share, w)
			}
		}
	}
	if got := blendShares[want[n][0]]; got != 1 {
		t.Errorf("share at h1 %v, want the useful correction kept whole", got)
	}
	if got := blendShares[want[n][horizon-1]]; got != 0 {
		t.Errorf("share at h%d %v, want none of the noise kept", horizon, got)
	}
}

func TestBlendStartsFromTheModelAndDropsAUselessCorrection(t *testing.T) {
	if blendShares[modelShare] != 1 {
		t.Fatalf("modelShare points at share %v, not at the model's own forecast", blendShares[modelShare])
	}
	const horizon = 3
	b := newBlend(horizon)
	x := make([]float64, 200)
	for i := range x {
		x[i] = 40 // flat: any correction is wrong
	}
	out := make([]float64, horizon)
	for o := horizon + 1; o <= len(x); o++ {
		b.observe(x[:o])
		for h := range out {
			out[h] = 45
		}
		b.apply(40, out)
		if o == horizon+1 && out[0] != 45 {
			t.Fatalf("first forecast %v, want the model's own (45) while nothing is known", out[0])
		}
	}
	for h, v := range out {
		if v != 40 {
			t.Errorf("h%d: %v after 200 flat steps, want the last value 40", h+1, v)
		}
	}
}

func TestBlendKeepsHugeCorrectionsInRange(t *testing.T) {
	b := newBlend(2)
	out := []float64{1e6, -1e6}
	b.apply(0, out)
	if b.pend[0] != math.MaxInt16 || b.pend[1] != math.MinInt16 {
		t.Errorf("pending %v, want the int16 limits", b.pend[:2])
	}
}

func TestStageBlendRestartsAfterAGap(t *testing.T) {
	m := randomModel(t, 8, 4, 1)
	s, err := NewStage(Config{Step: time.Minute}, m)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(9, 9))
	t0 := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	at := func(i int) window.Closed {
		c := closed(randomWindow(rng), true, "")
		c.Step.Time = t0.Add(time.Duration(i) * time.Minute)
		return c
	}
	for i := range 10 {
		s.Forecast(at(i))
	}
	b := s.blends["h1"]
	if b == nil || b.rows != 4 {
		t.Fatalf("blend %+v, want 4 origins pending after 10 steps", b)
	}

	s.Forecast(at(20)) // ten steps missing
	if b.rows != 1 {
		t.Errorf("%d origins pending after a gap, want only the new one", b.rows)
	}
	s.Forecast(closed([]float64{1, 2}, false, "2 of 24 steps"))
	s.Forecast(at(21))
	if b.rows != 2 {
		t.Errorf("%d origins pending, want 2: a fallback forecast in between is not a step of this window", b.rows)
	}
}

func TestStageBlendOffForecastsTheModelAsIs(t *testing.T) {
	m := randomModel(t, 8, 4, 1)
	s, err := NewStage(Config{Blend: BlendOff}, m)
	if err != nil {
		t.Fatal(err)
	}
	w := randomWindow(rand.New(rand.NewPCG(1, 2)))
	f := s.Forecast(closed(w, true, ""))
	want := make([]float64, 4)
	m.Predict(w, want)
	if f.Model != m.Name() || f.Values[0] != want[0] || s.blends != nil {
		t.Errorf("forecast %+v, want the model's %v under its own name", f, want)
	}
	if _, err := NewStage(Config{Blend: "hosts"}, m); err == nil {
		t.Error("blend \"hosts\" accepted")
	}
}

func TestStageKeepsTheModelsForecastBesideTheBlendedOne(t *testing.T) {
	m := randomModel(t, 8, 4, 1)
	s, err := NewStage(Config{Step: time.Minute}, m)
	if err != nil {
		t.Fatal(err)
	}
	w := make([]float64, InputSize)
	for i := range w {
		w[i] = 50 // flat: the model's corrections can only be wrong
	}
	t0 := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	var f, batch schemas.Forecast
	for i := range 300 {
		c := closed(w, true, "")
		c.Step.Time = t0.Add(time.Duration(i) * time.Minute)
		f = s.Forecast(c)
	}
	c := closed(w, true, "")
	c.Step.Time = t0.Add(300 * time.Minute)
	batch = s.ForecastBatch([]window.Closed{c})[0]

	want := make([]float64, 4)
	m.Predict(w, want)
	for _, r := range []schemas.Forecast{f, batch} {
		for h := range want {
			if r.ModelValues[h] != want[h] {
				t.Fatalf("h%d: model values %v, want the model's %v", h+1, r.ModelValues, want)
			}
			if want[h] != 50 && r.Values[h] != 50 {
				t.Fatalf("h%d: blended %v after 300 flat steps, want the last value 50", h+1, r.Values)
			}
		}
	}
	if &f.Values[0] == &f.ModelValues[0] {
		t.Error("Values and ModelValues share their first element")
	}
}

// stepWindows returns n consecutive closed windows of host "h1", one minute
// apart, over a noisy series the test model reads badly, so that the
// blend's shares move away from the model's own.
func stepWindows(n int) []window.Closed {
	rng := rand.New(rand.NewPCG(11, 11))
	x := make([]float64, n+InputSize)
	for i := range x {
		x[i] = 30 + 5*math.Sin(float64(i)/7) + rng.NormFloat64()
	}
	t0 := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	cs := make([]window.Closed, n)
	for i := range cs {
		cs[i] = closed(x[i:i+InputSize], true, "")
		cs[i].Step.Time = t0.Add(time.Duration(i) * time.Minute)
	}
	return cs
}

func TestStageRestoredBlendForecastsAsBefore(t *testing.T) {
	m := randomModel(t, 8, 6, 1)
	cs := stepWindows(80)
	a, err := NewStage(Config{Step: time.Minute}, m)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs[:60] {
		a.Forecast(c)
	}

	hs := schemas.HostState{Host: "h1"}
	a.SnapshotHost(&hs)
	if hs.Blend == nil || hs.Blend.Rows != 6 {
		t.Fatalf("snapshot %+v, want a blend with 6 origins pending", hs.Blend)
	}
	raw, err := json.Marshal(hs) // as the store keeps it
	if err != nil {
		t.Fatal(err)
	}
	var back schemas.HostState
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	b, err := NewStage(Config{Step: time.Minute}, m)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.RestoreHost(back); err != nil {
		t.Fatal(err)
	}

	moved := false
	for _, c := range cs[60:] {
		fa, fb := a.Forecast(c), b.Forecast(c)
		for h := range fa.Values {
			if fa.Values[h] != fb.Values[h] {
				t.Fatalf("step %s h%d: restored %v, uninterrupted %v", c.Step.Time, h+1, fb.Values[h], fa.Values[h])
			}
			moved = moved || fa.Values[h] != fa.ModelValues[h]
		}
	}
	if !moved {
		t.Error("the blend kept the model's forecast everywhere: the test shows nothing")
	}
}

func TestStageRefusesABlendOfAnotherLayout(t *testing.T) {
	s, err := NewStage(Config{Step: time.Minute}, randomModel(t, 8, 6, 1))
	if err != nil {
		t.Fatal(err)
	}
	good := newBlend(6).state()
	cases := map[string]func(st *schemas.BlendState){
		"other horizon":  func(st *schemas.BlendState) { st.Horizon = 12 },
		"other shares":   func(st *schemas.BlendState) { st.Shares = []float32{0, 0.25, 0.5, 1} },
		"short errors":   func(st *schemas.BlendState) { st.Errors = st.Errors[:3] },
		"too many rows":  func(st *schemas.BlendState) { st.Rows = 7 },
		"negative error": func(st *schemas.BlendState) { st.Errors[0] = -1 },
		"NaN error":      func(st *schemas.BlendState) { st.Errors[1] = float32(math.NaN()) },
	}
	for name, spoil := range cases {
		st := *good
		st.Errors = slices.Clone(good.Errors)
		spoil(&st)
		if err := s.RestoreHost(schemas.HostState{Host: "h1", Blend: &st}); err == nil {
			t.Errorf("%s: restored", name)
		}
	}
	if len(s.blends) != 0 {
		t.Errorf("%d blends kept after refusals", len(s.blends))
	}
	if err := s.RestoreHost(schemas.HostState{Host: "h1"}); err != nil {
		t.Errorf("a state without a blend: %v", err)
	}
}
