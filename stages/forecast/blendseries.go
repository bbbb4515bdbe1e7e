package forecast

// Blended is the stage's per-host blending (see blend.go) over a whole
// history, for EvaluateSeries: it runs F at every origin of the series in
// turn, scoring each share of F's corrections to the last value as the
// steps come in, exactly as the Stage does for one host whose steps all
// close in order.
//
// A Blended follows one series: each Forecast call must pass a longer
// prefix of the same series than the call before (EvaluateSeries does),
// and it catches up on the origins in between, forecasting with F at each;
// a history no longer than the previous one starts it over from the
// beginning. Use one per series; it is not safe for concurrent use.
type Blended struct {
	F SeriesForecaster

	b    *blend
	seen int       // length of the history of the latest origin blended
	raw  []float64 // scratch for the forecasts of skipped origins
}

// NewBlended returns a Blended over f.
func NewBlended(f SeriesForecaster) *Blended {
	return &Blended{F: f}
}

// Name is F's name with BlendSuffix.
func (b *Blended) Name() string { return b.F.Name() + BlendSuffix }

// Horizon is F's horizon.
func (b *Blended) Horizon() int { return b.F.Horizon() }

// MinHistory is F's, and at least Horizon()+1: the blend reads the last
// values of the origins its pending forecasts were made at.
func (b *Blended) MinHistory() int { return max(b.F.MinHistory(), b.F.Horizon()+1) }

// Forecast writes the blended forecast from history into out.
func (b *Blended) Forecast(history, out []float64) {
	checkHistory(b, history, out)
	if b.b == nil || len(history) <= b.seen {
		b.b, b.seen = newBlend(b.Horizon()), 0
		b.raw = make([]float64, b.Horizon())
	}

	from := max(b.seen+1, b.MinHistory())
	for t := from; t <= len(history); t++ {
		dst := b.raw
		if t == len(history) {
			dst = out[:b.Horizon()]
		}
		b.b.observe(history[:t])
		b.F.Forecast(history[:t], dst)
		b.b.apply(history[t-1], dst)
	}
	b.seen = len(history)
}

var _ SeriesForecaster = (*Blended)(nil)
