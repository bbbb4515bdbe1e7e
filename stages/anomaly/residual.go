package anomaly

import (
	"math"
	"time"

	"github.com/scalora/scalora/schemas"
)

// hostMeta is what the Detector keeps per host besides the group's history
// and forest: the forecasts of the next steps it was told of and the scale
// of the host's recent residuals (for the residual features), the running
// statistics of its scores (likelihood.go), and its current anomaly event
// (event.go). It is per host whatever the Scope, because forecasts, score
// levels and events are per host. 72 bytes (TestHostMetaSize), plus its
// map entry and the host's name; BenchmarkBytesPerHost measures the lot.
type hostMeta struct {
	// pending holds the one-step forecasts of the two latest observed
	// forecasts, keyed by the step they predict (Unix nanoseconds of its
	// start). Two slots make the order of ObserveForecast and Score within
	// one closed step irrelevant: the forecast made at step t (for t+1)
	// does not overwrite the one made at t-1 (for t) before t is scored.
	pending [2]pendingForecast

	// meanAbs is an exponentially weighted mean of |residual| with weight
	// residAlpha, over n residuals so far (a plain mean until residWarmup;
	// n saturates there, as nothing reads it beyond).
	meanAbs float32
	n       uint16
	slot    uint8

	// joined is set once the host is counted in its state's hosts.
	joined bool

	event event
	lik   likelihood
}

// pendingForecast is one observed one-step forecast. float32 holds a CPU
// percent to a few thousandths of a point, far below any residual that
// matters.
type pendingForecast struct {
	at    int64
	value float32
	ok    bool
}

// The residual scale follows about a day of 5-minute steps; until a window's
// worth of residuals exists, their plain mean is used and the z-score is 0.
const (
	residAlpha  = 2.0 / (288 + 1)
	residWarmup = 24

	// minResidScale, in CPU points, keeps the z-score of an idle host that
	// the model predicts to a hundredth of a point from exploding on noise.
	minResidScale = 0.25

	// maxResidZ bounds the z-score so one absurd miss does not stretch the
	// forest's range for the rest of the history.
	maxResidZ = 50
)

// ObserveForecast tells the Detector what the forecast stage predicted when
// a host's step closed, so that the next step's window gets its residual
// features (FeatResid, FeatResidZ). Only the one-step forecast for f.Time
// + f.StepSeconds is used, from f.ModelValues when set (the model's own,
// before the forecast stage's blend), else from f.Values; forecasts that
// are not Ready (the last-value fallback of a host without a full window)
// or have no values are ignored.
//
// The model's own forecast because the detector's defaults were chosen
// with its residuals: on the training traces (package nab, four seeds)
// the default detector scored 58.7 on NAB's standard profile with those
// and 55.1 with the blended forecast's.
//
// The pipeline calls it once per closed step with the forecast of that
// step, before or after Score of the same step: both orders give the same
// result. A Detector never told of forecasts scores on the window features
// alone (the residual features stay 0, and a feature that never varies is
// never split on). It allocates only for a host's first forecast. Not safe
// for concurrent use, like the rest of the Detector.
func (d *Detector) ObserveForecast(f schemas.Forecast) {
	values := f.OwnValues()
	if !f.Ready || len(values) == 0 || f.StepSeconds <= 0 {
		return
	}
	rs := d.meta(f.Host)

	at := f.Time.Add(time.Duration(f.StepSeconds) * time.Second).UnixNano()
	rs.pending[rs.slot] = pendingForecast{at: at, value: float32(values[0]), ok: true}
	rs.slot ^= 1
}

// residuals writes FeatResid and FeatResidZ of step s into x, from the
// forecast of s observed earlier, and updates the host's residual scale.
// Both stay 0 when no forecast of s was observed.
func (rs *hostMeta) residuals(s schemas.Step, x *[NumFeatures]float64) {
	at := s.Time.UnixNano()
	for i := range rs.pending {
		p := &rs.pending[i]
		if !p.ok || p.at != at {
			continue
		}
		p.ok = false

		r := s.CPU - float64(p.value)
		x[FeatResid] = r
		if rs.n >= residWarmup {
			scale := max(meanADToSigma*float64(rs.meanAbs), minResidScale)
			x[FeatResidZ] = max(-maxResidZ, min(maxResidZ, r/scale))
		}
		rs.observe(math.Abs(r))
		return
	}
}

func (rs *hostMeta) observe(a float64) {
	if rs.n < residWarmup {
		rs.n++
		rs.meanAbs += (float32(a) - rs.meanAbs) / float32(rs.n)
		return
	}
	rs.meanAbs += float32(residAlpha * (a - float64(rs.meanAbs)))
}
