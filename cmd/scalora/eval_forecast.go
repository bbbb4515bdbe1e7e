package main

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/scalora/scalora/schemas/trace"
	"github.com/scalora/scalora/stages/forecast"
)

type evalForecastOptions struct {
	data        []string
	horizons    string
	format      string
	model       string
	stepSeconds int64
	season      int
	eval        forecast.EvalConfig

	trainInSample bool
	saveModel     string
	train         forecast.TrainConfig
	ensemble      int
	validate      bool

	trace trace.Options
}

// newEvalForecastCmd is "scalora eval forecast": rolling-origin evaluation
// of the LSTM against the three baselines.
func newEvalForecastCmd() *cobra.Command {
	var o evalForecastOptions
	def := forecast.DefaultTrainConfig()
	cmd := &cobra.Command{
		Use:   "forecast --data PATH... [--horizons 1,6,12] [--format json] [--model FILE]",
		Short: "Score the LSTM and the baselines on the last 20 % of each trace (MAE, MASE)",
		Long: `Rolling-origin evaluation of the forecasters on CPU traces (NAB CSV or
Bitbrains, detected per file; a folder means every .csv under it).

Each trace is aligned to --step-seconds. Its last --test-fraction is scored:
from every step there (every --stride steps), each model forecasts from the
history before that step and is scored at each of --horizons. Models: the
LSTM blended with the last value as the pipeline serves it (named with
"+blend": the share of the LSTM's correction kept at each horizon is the one
that did best on the trace's steps so far, see forecast.Blended), the LSTM
alone, last value, seasonal naive (one --season earlier) and Holt-Winters
(additive, daily season, smoothing fitted on the first part of the trace only).
MAE is in CPU percent; MASE divides it by the trace's in-sample one-step
naive MAE. Results are given per file, per format and averaged over files.

The LSTM is the default model, or --model FILE. With --train-in-sample a
fresh LSTM is trained on the first part of every trace only (never on the
scored tails) and scored instead; --save-model keeps it.

--features adds optional per-step inputs to the trained LSTM (see
forecast.Features and features.go); --ensemble N trains N LSTMs with seeds
--seed..--seed+N-1 and scores the mean of their forecasts.

--validate scores the last --test-fraction of each trace's in-sample part
instead of its tail (the tail is dropped before anything else): use it to
choose settings without looking at the scored tails.

--format json writes the stable layout documented on forecast.EvalReport.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runEvalForecast(cmd, o)
		},
	}
	f := cmd.Flags()
	addTraceFlags(f, &o.trace)
	f.StringSliceVar(&o.data, "data", nil, "trace files or folders to evaluate on (repeat or comma-separate)")
	f.StringVar(&o.horizons, "horizons", "1,6,12", "comma-separated horizons in steps")
	f.StringVar(&o.format, "format", "text", "output: text or json")
	f.StringVar(&o.model, "model", "", "model file to score (default: the bundled model)")
	f.Int64Var(&o.stepSeconds, "step-seconds", 300, "step the traces are aligned to")
	f.IntVar(&o.season, "season", forecast.DaySteps, "season of the seasonal baselines, in steps")
	f.Float64Var(&o.eval.TestFraction, "test-fraction", 0.2, "tail of each trace that is scored")
	f.IntVar(&o.eval.Stride, "stride", 1, "steps between forecast origins")
	f.BoolVar(&o.trainInSample, "train-in-sample", false, "train an LSTM on the unscored part of the traces and score it")
	f.StringVar(&o.saveModel, "save-model", "", "with --train-in-sample, write the trained model here")
	f.IntVar(&o.train.Epochs, "epochs", def.Epochs, "with --train-in-sample: maximum epochs")
	f.IntVar(&o.train.Stride, "train-stride", 2, "with --train-in-sample: steps between training windows")
	f.IntVar(&o.train.Hidden, "hidden", def.Hidden, "with --train-in-sample: LSTM units")
	f.Uint64Var(&o.train.Seed, "seed", def.Seed, "with --train-in-sample: seed")
	f.StringVar(&o.train.Loss, "loss", def.Loss, "with --train-in-sample: training loss, mae or mse")
	f.StringVar(&o.train.Normalisation, "normalisation", def.Normalisation,
		"with --train-in-sample: window_scaled_delta or last_value_delta")
	f.StringSliceVar(&o.train.Features, "features", nil,
		"with --train-in-sample: per-step inputs (default delta_last,level; optional ones follow them)")
	f.Float64Var(&o.train.LearningRate, "learning-rate", def.LearningRate, "with --train-in-sample: Adam's step size")
	f.IntVar(&o.ensemble, "ensemble", 1, "with --train-in-sample: LSTMs trained with consecutive seeds, forecasts averaged")
	f.BoolVar(&o.validate, "validate", false, "drop each trace's tail and score the tail of its in-sample part instead")
	_ = cmd.MarkFlagRequired("data")
	return cmd
}

func runEvalForecast(cmd *cobra.Command, o evalForecastOptions) error {
	hs, err := parseHorizons(o.horizons)
	if err != nil {
		return err
	}
	o.eval.Horizons = hs
	if o.format != "text" && o.format != "json" {
		return fmt.Errorf("format %q: want text or json", o.format)
	}
	if !o.trainInSample {
		// These shape the LSTM that --train-in-sample trains; without it
		// they would be ignored silently.
		for _, name := range []string{"save-model", "features", "ensemble", "epochs", "hidden",
			"learning-rate", "loss", "normalisation", "seed", "train-stride"} {
			if cmd.Flags().Changed(name) {
				return fmt.Errorf("--%s needs --train-in-sample", name)
			}
		}
	}

	step := time.Duration(o.stepSeconds) * time.Second
	series, err := readEvalSeries(o.data, step, o.trace)
	if err != nil {
		return err
	}
	if o.validate {
		for i, s := range series {
			series[i].values = s.values[:forecast.SplitPoint(len(s.values), o.eval.TestFraction)]
		}
	}

	models, label, err := evalModel(cmd, o, series)
	if err != nil {
		return err
	}
	model := models[0]

	rep := forecast.EvalReport{
		Schema: forecast.EvalReportSchema, Horizons: hs, TestFraction: o.eval.TestFraction,
		StepSeconds: o.stepSeconds, Season: o.season, LSTM: label,
	}
	for _, s := range series {
		cut := forecast.SplitPoint(len(s.values), o.eval.TestFraction)
		base, err := forecast.FitBaselines(s.values[:cut], model.Horizon(), o.season)
		if err != nil {
			return fmt.Errorf("eval %s: %w", s.name, err)
		}
		var lstm forecast.SeriesForecaster = forecast.Timed{M: model, Start: s.start, Step: step}
		if len(models) > 1 {
			var mean forecast.Mean
			for _, m := range models {
				mean = append(mean, forecast.Timed{M: m, Start: s.start, Step: step})
			}
			lstm = mean
		}
		// The blended LSTM first: it is what the pipeline serves.
		models := append([]forecast.SeriesForecaster{forecast.NewBlended(lstm), lstm}, base...)
		ev, err := forecast.EvaluateSeries(s.name, s.values, models, o.eval)
		if err != nil {
			return err
		}
		ev.Format = s.format
		rep.Series = append(rep.Series, ev)
	}
	if err := rep.Summarise(); err != nil {
		return err
	}

	if o.format == "json" {
		enc := json.NewEncoder(cmd.OutOrStdout())
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return writeEvalText(cmd.OutOrStdout(), rep)
}

// evalSeries is one aligned trace.
type evalSeries struct {
	name, format string
	start        time.Time // time of values[0]
	values       []float64
}

// readEvalSeries reads every file (folders: every .csv under them, sorted)
// and aligns it to step.
func readEvalSeries(paths []string, step time.Duration, opts trace.Options) ([]evalSeries, error) {
	if step <= 0 {
		return nil, fmt.Errorf("step %s is not positive", step)
	}
	var files []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("eval data: %w", err)
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(d.Name(), ".csv") {
				files = append(files, path)
			}
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("eval data: %w", err)
		}
	}

	var out []evalSeries
	for _, f := range files {
		tr, err := trace.ReadAnyWith(f, opts)
		if err != nil {
			return nil, fmt.Errorf("eval data: %w", err)
		}
		es := evalSeries{name: tr.Name, format: tr.Format, values: forecast.AlignTrace(tr, step)}
		if len(tr.Points) > 0 {
			es.start = tr.Points[0].Time
		}
		out = append(out, es)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("eval data: no .csv trace in %v", paths)
	}
	return out, nil
}

// evalModel returns the LSTMs to score (one, or --ensemble of them) and a
// label saying where they came from.
func evalModel(cmd *cobra.Command, o evalForecastOptions, series []evalSeries) ([]*forecast.Model, string, error) {
	if o.trainInSample {
		if o.model != "" {
			return nil, "", fmt.Errorf("give --model or --train-in-sample, not both")
		}
		if o.ensemble < 1 {
			return nil, "", fmt.Errorf("ensemble %d below 1", o.ensemble)
		}
		if o.saveModel != "" && o.ensemble > 1 {
			return nil, "", fmt.Errorf("--save-model keeps one model; drop --ensemble")
		}
		cfg := o.train
		cfg.StepSeconds = o.stepSeconds
		for _, s := range series {
			cfg.Series = append(cfg.Series, s.values[:forecast.SplitPoint(len(s.values), o.eval.TestFraction)])
			cfg.Names = append(cfg.Names, s.name+" (in-sample part)")
			cfg.Starts = append(cfg.Starts, s.start)
		}
		var ms []*forecast.Model
		for i := range o.ensemble {
			c := cfg
			c.Seed = cfg.Seed + uint64(i)
			began := time.Now()
			m, err := forecast.Train(cmd.Context(), c, cmd.ErrOrStderr())
			if err != nil {
				return nil, "", fmt.Errorf("eval: seed %d: %w", c.Seed, err)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "trained seed %d in %s (best epoch %d)\n", c.Seed, time.Since(began).Round(time.Second), m.Training.BestEpoch)
			ms = append(ms, m)
		}
		if o.saveModel != "" {
			if err := ms[0].Save(o.saveModel); err != nil {
				return nil, "", err
			}
		}
		label := ms[0].Name() + " (trained on the in-sample part of the evaluated traces"
		if len(cfg.Features) > 0 {
			label += ", features " + strings.Join(cfg.Features, ",")
		}
		if len(ms) > 1 {
			label += fmt.Sprintf(", mean of %d seeds", len(ms))
		}
		return ms, label + ")", nil
	}

	if o.model != "" {
		m, err := forecast.LoadModel(o.model)
		if err != nil {
			return nil, "", err
		}
		return []*forecast.Model{m}, m.Name() + " (" + filepath.Base(o.model) + ")", nil
	}
	m, err := forecast.DefaultModel()
	if err != nil {
		return nil, "", err
	}
	return []*forecast.Model{m}, m.Name() + " (default model)", nil
}

func parseHorizons(s string) ([]int, error) {
	var hs []int
	for _, f := range strings.Split(s, ",") {
		h, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || h < 1 {
			return nil, fmt.Errorf("horizons %q: want positive integers separated by commas", s)
		}
		hs = append(hs, h)
	}
	return hs, nil
}

// writeEvalText prints one block per series, then the per-format and
// overall averages: one row per model, MAE and MASE per horizon.
func writeEvalText(w io.Writer, r forecast.EvalReport) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "model\t"
	for _, h := range r.Horizons {
		head += fmt.Sprintf("MAE h%d\t", h)
	}
	for _, h := range r.Horizons {
		head += fmt.Sprintf("MASE h%d\t", h)
	}

	block := func(title string, scores []forecast.ModelScore) {
		fmt.Fprintf(tw, "%s\n%s\n", title, head)
		for _, s := range scores {
			row := s.Model + "\t"
			for _, v := range s.MAE {
				row += fmt.Sprintf("%.3f\t", v)
			}
			for i := range s.MAE {
				if s.MASE == nil {
					row += "-\t"
				} else {
					row += fmt.Sprintf("%.3f\t", s.MASE[i])
				}
			}
			fmt.Fprintln(tw, row)
		}
		fmt.Fprintln(tw)
	}

	fmt.Fprintf(tw, "LSTM: %s; last %.0f %% of each trace scored, step %d s\n\n", r.LSTM, 100*r.TestFraction, r.StepSeconds)
	for _, s := range r.Series {
		block(fmt.Sprintf("%s (%s, %d steps, %d origins, naive scale %.3f)", s.Name, s.Format, s.Points, s.Origins, s.NaiveScale), s.Scores)
	}
	for _, f := range r.ByFormat {
		block(fmt.Sprintf("average over %d %s traces", f.Series, f.Format), f.Average)
	}
	block(fmt.Sprintf("average over all %d traces", len(r.Series)), r.Average)
	return tw.Flush()
}
