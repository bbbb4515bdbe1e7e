package nab

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/schemas/trace"
	"github.com/scalora/scalora/stages/anomaly"
	"github.com/scalora/scalora/stages/window"
)

// Forecaster is the forecast stage as Evaluate uses it (forecast.Stage
// satisfies it): its forecast of each closed step goes to the detector's
// ObserveForecast, as in the pipeline.
type Forecaster interface {
	Forecast(c window.Closed) schemas.Forecast
}

// EvalConfig configures Evaluate. Zero fields take the defaults written on
// each field.
type EvalConfig struct {
	// Anomaly configures the detector; zero fields take anomaly's defaults.
	// Its Threshold is the one scored: Evaluate never tunes it.
	Anomaly anomaly.Config

	// Step is the windower's step. Default 5 minutes, the step of NAB's CPU
	// files. Size is the window length. Default 24, the pipeline's.
	Step time.Duration
	Size int

	// NewForecaster, when set, makes the forecast stage for each file, so
	// that the detector gets its residual features as in the pipeline. Nil
	// runs without forecasts: the residual features stay 0.
	NewForecaster func() (Forecaster, error)

	// Profiles are the NAB profiles scored. Default all three (Profiles()).
	Profiles []Profile

	// Shared, when true, runs every file through one detector, as hosts
	// of one group fed row by row in turn (each with its own windower and
	// forecast stage), instead of a fresh detector per file. With
	// anomaly.ScopeGroup the files then share one history and forest, as
	// a fleet's hosts do in the pipeline: this is how the report shows
	// what the group scope costs. Default false.
	Shared bool

	// Normalise, when true, maps each file's values linearly onto 0-100
	// (its minimum to 0, its maximum to 100) before streaming it, as NAB
	// hands every detector the file's input range. It is for files that
	// are not CPU percent (bytes, requests, latencies: the NAB training
	// files of TestChooseOnNABTraining), whose raw scale the detector's
	// CPU-point constants (Config.MinChange, IdlePercent, the log map of
	// the levels) and the forecast model would misread. CPU files must be
	// scored without it, as the pipeline sees them. It reads the whole
	// file first, which a live stream cannot: the range is an input, as in
	// NAB, not something the detector learns. Default false.
	Normalise bool
}

// SetDefaults fills zero fields with their documented defaults.
func (c *EvalConfig) SetDefaults() {
	c.Anomaly.SetDefaults()
	if c.Step == 0 {
		c.Step = 5 * time.Minute
	}
	if c.Size == 0 {
		c.Size = window.DefaultSize
	}
	if len(c.Profiles) == 0 {
		c.Profiles = Profiles()
	}
}

// Report is the result of Evaluate. Its JSON shape is stable: fields are
// only ever added.
type Report struct {
	// Threshold is the detector's score threshold, fixed before the run.
	Threshold float64    `json:"threshold"`
	Files     []FileRun  `json:"files"`
	Overall   []Overall  `json:"overall"`
	Config    ConfigNote `json:"config"`
}

// ConfigNote records what the run used, so a report says how it was made.
type ConfigNote struct {
	StepSeconds int64    `json:"step_seconds"`
	WindowSize  int      `json:"window_size"`
	Cooldown    int      `json:"cooldown"`
	MinChange   float64  `json:"min_change"`
	Forecasts   bool     `json:"forecasts"`
	Scope       string   `json:"scope"`
	Shared      bool     `json:"shared"`
	Normalised  bool     `json:"normalised,omitempty"`
	Ignored     []string `json:"ignored_features,omitempty"`
}

// FileRun is one data file: its labels key, the rows the detector flagged
// (indices into the file's rows, after probation or not), and its score
// under each profile, in the order of EvalConfig.Profiles.
type FileRun struct {
	File       string   `json:"file"`
	Key        string   `json:"key"`
	Detections []int    `json:"detection_rows"`
	Results    []Result `json:"results"`
}

// Overall is the sum over all files under one profile, and NAB's
// normalised score of that sum.
type Overall struct {
	Profile    string  `json:"profile"`
	Raw        float64 `json:"raw"`
	Null       float64 `json:"null"`
	Perfect    float64 `json:"perfect"`
	Normalised float64 `json:"normalised"`
	TP         int     `json:"tp"`
	FN         int     `json:"fn"`
	FP         int     `json:"fp"`
}

// Evaluate streams each file through the pipeline's own stages — a
// window.Windower, the forecast stage when cfg.NewForecaster is set, and an
// anomaly.Detector, fresh for each file, the file being one host (or, with
// cfg.Shared, one detector for all files, each a host of one group) — and
// scores the reported anomalies (Anomalous records) with NAB's rules
// against labels.
//
// A detection on a closed step is placed on the file's first row at or
// after the step's start: the row of that step, or for a step filled over
// a gap, the next row that exists. The last step of a file never closes
// (the windower closes a step on a sample of a later one), so its row is
// never flagged, as in a live stream.
//
// A file that labels does not list is an error wrapping ErrNoLabels.
func Evaluate(files []string, labels Labels, cfg EvalConfig) (Report, error) {
	cfg.SetDefaults()
	if err := cfg.Anomaly.Validate(); err != nil {
		return Report{}, fmt.Errorf("evaluate: %w", err)
	}
	if len(files) == 0 {
		return Report{}, errors.New("evaluate: no data files")
	}

	rep := Report{Threshold: cfg.Anomaly.Threshold, Config: ConfigNote{
		StepSeconds: int64(cfg.Step / time.Second),
		WindowSize:  cfg.Size,
		Cooldown:    cfg.Anomaly.Cooldown,
		MinChange:   cfg.Anomaly.MinChange,
		Forecasts:   cfg.NewForecaster != nil,
		Scope:       string(cfg.Anomaly.Scope),
		Shared:      cfg.Shared,
		Normalised:  cfg.Normalise,
	}}
	for _, f := range cfg.Anomaly.Ignore {
		rep.Config.Ignored = append(rep.Config.Ignored, f.String())
	}

	var series []*trace.Series
	var detected [][]int
	for _, path := range files {
		if _, _, ok := labels.For(path); !ok {
			return Report{}, fmt.Errorf("evaluate %s: %w", path, ErrNoLabels)
		}
		s, err := trace.ReadFile(path)
		if err != nil {
			return Report{}, fmt.Errorf("evaluate: %w", err)
		}
		if cfg.Normalise {
			NormaliseSeries(s)
		}
		series = append(series, s)
		if cfg.Shared {
			continue
		}
		rows, err := Detect(s, cfg)
		if err != nil {
			return Report{}, fmt.Errorf("evaluate %s: %w", path, err)
		}
		detected = append(detected, rows)
	}
	if cfg.Shared {
		fcs, err := newForecasters(len(series), cfg)
		if err != nil {
			return Report{}, fmt.Errorf("evaluate: %w", err)
		}
		if detected, err = detectMany(series, fcs, cfg); err != nil {
			return Report{}, fmt.Errorf("evaluate: %w", err)
		}
	}

	for i, path := range files {
		key, windows, _ := labels.For(path)
		s, rows := series[i], detected[i]
		run := FileRun{File: path, Key: key, Detections: rows}
		times, flagged := rowTimes(s), make([]bool, len(s.Points))
		for _, r := range rows {
			flagged[r] = true
		}
		for _, p := range cfg.Profiles {
			run.Results = append(run.Results, Score(times, flagged, windows, p))
		}
		rep.Files = append(rep.Files, run)
	}

	for i, p := range cfg.Profiles {
		o := Overall{Profile: p.Name}
		for _, f := range rep.Files {
			r := f.Results[i]
			o.Raw += r.Raw
			o.Null += r.Null
			o.Perfect += r.Perfect
			o.TP += r.TP
			o.FN += r.FN
			o.FP += r.FP
		}
		o.Normalised = Normalised(o.Raw, o.Null, o.Perfect)
		if math.IsNaN(o.Normalised) {
			o.Normalised = 0 // no labelled window: JSON cannot carry NaN
		}
		rep.Overall = append(rep.Overall, o)
	}
	return rep, nil
}

// Detect runs one series through the windower, the forecast stage (when
// cfg.NewForecaster is set) and a fresh detector, and returns the indices
// of the rows whose step was reported anomalous, in increasing order.
// cfg must have its defaults set.
func Detect(s *trace.Series, cfg EvalConfig) ([]int, error) {
	fcs, err := newForecasters(1, cfg)
	if err != nil {
		return nil, err
	}
	rows, err := detectMany([]*trace.Series{s}, fcs, cfg)
	if err != nil {
		return nil, err
	}
	return rows[0], nil
}

// newForecasters makes n forecast stages with cfg.NewForecaster, or n nils
// when it is not set.
func newForecasters(n int, cfg EvalConfig) ([]Forecaster, error) {
	fcs := make([]Forecaster, n)
	if cfg.NewForecaster == nil {
		return fcs, nil
	}
	for i := range fcs {
		fc, err := cfg.NewForecaster()
		if err != nil {
			return nil, fmt.Errorf("forecast stage: %w", err)
		}
		fcs[i] = fc
	}
	return fcs, nil
}

// detectMany runs the series through one detector, each series a host of
// the same group with its own windower and forecast stage (fcs[i], nil for
// none), fed row by row in turn (row 0 of every series, then row 1, ...),
// and returns each series' detected rows as Detect does. With one series
// it is Detect; with several and anomaly.ScopeGroup, the hosts share the
// group's history and forest, as a fleet does in the pipeline.
func detectMany(ss []*trace.Series, fcs []Forecaster, cfg EvalConfig) ([][]int, error) {
	det, err := anomaly.New(cfg.Anomaly)
	if err != nil {
		return nil, err
	}
	type hostRun struct {
		name  string
		w     *window.Windower
		times []time.Time
	}
	runs := make([]hostRun, len(ss))
	longest := 0
	for i, s := range ss {
		w, err := window.New(window.Config{Step: cfg.Step, Size: cfg.Size})
		if err != nil {
			return nil, err
		}
		name := s.Name
		if name == "" {
			name = "trace"
		}
		if len(ss) > 1 {
			name = fmt.Sprintf("%d-%s", i, name)
		}
		runs[i] = hostRun{name: name, w: w, times: rowTimes(s)}
		longest = max(longest, len(s.Points))
	}

	out := make([][]int, len(ss))
	var closed []window.Closed
	for row := range longest {
		for i, s := range ss {
			if row >= len(s.Points) {
				continue
			}
			h, p := &runs[i], s.Points[row]
			closed, err = h.w.Add(schemas.Sample{Version: 1, Host: h.name, Group: "eval", Time: p.Time, CPU: p.CPU}, closed[:0])
			if err != nil {
				return nil, fmt.Errorf("window %s: %w", h.name, err)
			}
			for _, c := range closed {
				var f schemas.Forecast
				if fcs[i] != nil {
					f = fcs[i].Forecast(c)
				}
				a := det.Score(c)
				if fcs[i] != nil {
					det.ObserveForecast(f)
				}
				if !a.Anomalous {
					continue
				}
				times := h.times
				r := sort.Search(len(times), func(k int) bool { return !times[k].Before(c.Step.Time) })
				if r < len(times) && (len(out[i]) == 0 || out[i][len(out[i])-1] != r) {
					out[i] = append(out[i], r)
				}
			}
		}
	}
	return out, nil
}

// NormaliseSeries maps the values of s linearly onto 0-100 in place: its
// minimum to 0 and its maximum to 100 (see EvalConfig.Normalise). A
// constant series becomes all 0.
func NormaliseSeries(s *trace.Series) {
	if len(s.Points) == 0 {
		return
	}
	lo, hi := s.Points[0].CPU, s.Points[0].CPU
	for _, p := range s.Points {
		lo, hi = min(lo, p.CPU), max(hi, p.CPU)
	}
	span := hi - lo
	for i := range s.Points {
		if span > 0 {
			s.Points[i].CPU = 100 * (s.Points[i].CPU - lo) / span
		} else {
			s.Points[i].CPU = 0
		}
	}
}

func rowTimes(s *trace.Series) []time.Time {
	ts := make([]time.Time, len(s.Points))
	for i, p := range s.Points {
		ts[i] = p.Time
	}
	return ts
}
