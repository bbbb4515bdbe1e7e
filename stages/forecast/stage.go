package forecast

import (
	"errors"
	"fmt"
	"time"

	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/stages/window"
)

// Config configures a Stage.
type Config struct {
	// Step is the windower's step, the unit the forecast horizons are
	// counted in; written into Forecast.StepSeconds. Default 1 minute.
	//
	// The model is applied to windows of this step whatever step it was
	// trained at (5 minutes for DefaultModel): an approximation for now.
	Step time.Duration

	// Blend is "host" (the default) to blend each host's forecasts with
	// its last value by how the model's corrections fared on that host's
	// recent steps (blend.go), or "off" for the model's forecasts as they
	// are. Blending costs about 470 bytes per host. Blends are kept with
	// the hosts' window state (SnapshotHost, RestoreHost), so a restarted
	// process goes on blending as before.
	Blend string
}

// Values of Config.Blend.
const (
	BlendHost = "host"
	BlendOff  = "off"
)

// SetDefaults fills zero fields with their defaults.
func (c *Config) SetDefaults() {
	if c.Step == 0 {
		c.Step = time.Minute
	}
	if c.Blend == "" {
		c.Blend = BlendHost
	}
}

// Validate checks the fields; call after SetDefaults.
func (c *Config) Validate() error {
	if c.Step < time.Second || c.Step%time.Second != 0 {
		return fmt.Errorf("step %s is not a positive whole number of seconds", c.Step)
	}
	if c.Blend != BlendHost && c.Blend != BlendOff {
		return fmt.Errorf("blend %q: want %q or %q", c.Blend, BlendHost, BlendOff)
	}
	return nil
}

// fallbackNote is appended to the windower's reason when a host without a
// full window is forecast by LastValue.
const fallbackNote = "; forecast by last_value fallback"

// Stage turns closed windows into forecasts: the LSTM for hosts with a full
// window (blended per host with the last value, see Config.Blend),
// LastValue otherwise.
//
// A Stage owns its scratch buffers and is not safe for concurrent use: run
// one per goroutine (they may share one Model).
type Stage struct {
	cfg      Config
	model    *Model
	lstm     *Predictor
	fallback LastValue
	name     string // Forecast.Model of the LSTM's forecasts

	// blends is each host's blend (nil when Config.Blend is off). Hosts
	// are never forgotten, as in the windower, whose host limit bounds
	// this map too.
	blends map[string]*blend

	// Scratch of ForecastBatch: the ready windows and their outputs.
	batchIn, batchOut [][]float64
}

// record is c's forecast record without a model or values yet: Values is
// allocated with the model's horizon, and ModelValues after it in the same
// array when the stage blends.
func (s *Stage) record(c window.Closed) schemas.Forecast {
	f := s.header(c)
	h := s.model.Horizon()
	if s.blends == nil {
		f.Values = make([]float64, h)
		return f
	}
	buf := make([]float64, 2*h)
	f.Values, f.ModelValues = buf[:h:h], buf[h:]
	return f
}

// header is c's forecast record without a model or values.
func (s *Stage) header(c window.Closed) schemas.Forecast {
	return schemas.Forecast{
		Host:        c.Step.Host,
		Group:       c.Step.Group,
		Time:        c.Step.Time,
		StepSeconds: int64(s.cfg.Step / time.Second),
	}
}

// NewStage returns a Stage forecasting with model (for example
// DefaultModel()); model must not be nil and is not modified.
func NewStage(cfg Config, model *Model) (*Stage, error) {
	cfg.SetDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("forecast stage: %w", err)
	}
	if model == nil {
		return nil, errors.New("forecast stage: nil model")
	}
	if model.NeedsHistory() {
		// The windower keeps InputSize steps per host; day_ago_ahead and
		// smoothed_level need more.
		return nil, fmt.Errorf("forecast stage: model %s needs %d steps of history per host; the window stage keeps %d",
			model.Name(), model.MinHistory(), InputSize)
	}
	if model.NeedsTime() {
		// Forecast calls Predict, which has no step time; feeding
		// c.Step.Time through PredictAt is not written yet.
		return nil, fmt.Errorf("forecast stage: model %s reads the time of day, which the stage does not feed yet", model.Name())
	}
	s := &Stage{
		cfg:      cfg,
		model:    model,
		lstm:     model.NewPredictor(),
		fallback: LastValue{H: model.Horizon()},
		name:     model.Name(),
	}
	if cfg.Blend == BlendHost {
		if model.Horizon() >= InputSize {
			// observe reads the last value of an origin Horizon steps
			// back from the window.
			return nil, fmt.Errorf("forecast stage: blending needs a horizon below %d, model %s has %d",
				InputSize, model.Name(), model.Horizon())
		}
		s.name += BlendSuffix
		s.blends = map[string]*blend{}
	}
	return s, nil
}

// Forecast forecasts the Horizon() steps after c's last step. The returned
// record owns its Values; c.Values is only read during the call.
//
// When c.Ready the window must hold InputSize values (the windower's size
// must be InputSize) and the model forecasts; otherwise LastValue forecasts
// from the newest value there is (c.Step.CPU when Values is empty), Ready is
// false and Reason is c.Reason plus a note saying so.
func (s *Stage) Forecast(c window.Closed) schemas.Forecast {
	f := s.record(c)

	if c.Ready && len(c.Values) == InputSize {
		s.lstm.Predict(c.Values, f.Values)
		s.blendHost(c, f.Values, f.ModelValues)
		f.Model = s.name
		f.Ready = true
		return f
	}

	values := c.Values
	if len(values) == 0 {
		values = []float64{c.Step.CPU}
	}
	s.fallback.Predict(values, f.Values)
	f.ModelValues = nil
	f.Model = s.fallback.Name()
	f.Reason = c.Reason + fallbackNote
	if c.Ready {
		// A full window of the wrong size means the windower and the model
		// disagree on the input length: say so rather than hide it.
		f.Reason = fmt.Sprintf("window has %d steps, model needs %d%s", len(c.Values), InputSize, fallbackNote)
	}
	return f
}

// blendHost blends out, the model's forecast from c's window, with the
// host's last value (when blending is on), after scoring the host's
// pending forecasts against c's step; raw gets the model's forecast.
func (s *Stage) blendHost(c window.Closed, out, raw []float64) {
	if s.blends == nil {
		return
	}
	copy(raw, out)
	b := s.blends[c.Step.Host]
	if b == nil {
		b = newBlend(s.model.Horizon())
		s.blends[c.Step.Host] = b
	}

	at := c.Step.Time.UnixNano()
	if b.rows > 0 && at != b.at+int64(s.cfg.Step) {
		// Steps were skipped, replayed or left unforecast (a host
		// without a full window in between): the pending forecasts are
		// not for the steps in this window.
		b.reset()
	}
	b.at = at
	b.observe(c.Values)
	b.apply(c.Values[len(c.Values)-1], out)
}

// SnapshotHost sets hs.Blend to the blend of host hs.Host, or to nil when
// the stage does not blend or has not forecast the host.
func (s *Stage) SnapshotHost(hs *schemas.HostState) {
	hs.Blend = nil
	if b := s.blends[hs.Host]; b != nil {
		hs.Blend = b.state()
	}
}

// RestoreHost takes back the blend SnapshotHost kept in hs, so that the
// host's forecasts go on as before a restart or a partition move. A state
// without a blend, or with one this stage cannot use (another horizon or
// other shares, when the model or the code changed, or damaged values), is
// not taken: the error says why, and the host's blend starts afresh.
func (s *Stage) RestoreHost(hs schemas.HostState) error {
	if s.blends == nil || hs.Blend == nil {
		return nil
	}
	b, err := blendFromState(hs.Blend, s.model.Horizon())
	if err != nil {
		return fmt.Errorf("restore forecast blend of host %q: %w", hs.Host, err)
	}
	s.blends[hs.Host] = b
	return nil
}
