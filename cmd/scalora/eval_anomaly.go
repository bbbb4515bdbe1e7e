package main

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/scalora/scalora/stages/anomaly"
	"github.com/scalora/scalora/stages/anomaly/nab"
	"github.com/scalora/scalora/stages/forecast"
)

// evalAnomalyFlags are the flags of "scalora eval anomaly".
type evalAnomalyFlags struct {
	data      []string
	labels    string
	format    string
	profile   string
	forecast  string
	threshold float64
	cooldown  int
	seed      uint64
	minChange float64
	normalise bool
}

// newEvalAnomalyCmd is "scalora eval anomaly": NAB-rule scoring of the
// anomaly stage on labelled CPU files. The parent "eval" command adds it.
func newEvalAnomalyCmd() *cobra.Command {
	var fl evalAnomalyFlags
	cmd := &cobra.Command{
		Use:   "anomaly --data FILE... --labels WINDOWS.json",
		Short: "Score the anomaly stage on labelled files with the NAB rules",
		Long: `Streams each NAB-style CSV file (timestamp,value) through the pipeline's
window, forecast and anomaly stages, one host per file, and scores the
anomalies it reports with the Numenta Anomaly Benchmark's rules against
labelled windows in NAB's combined_windows.json format.

Prints per file the raw score and the counts (TP: windows detected, FN:
windows missed, FP: detections outside every window, all after the
probation period) and over all files NAB's normalised score for each
profile: 100 x (raw - null) / (perfect - null), where null is a detector
that never fires. The threshold is the detector's configured one (or
--threshold), never tuned on the files. --normalise maps each file onto
0-100 first, as NAB hands its detectors each file's range: the detector's
constants are in CPU points, so files of bytes or requests need it; CPU
files must be scored without it, as the pipeline sees them.

--format json prints the nab.Report structure: {"threshold", "config",
"files": [{"file", "key", "detection_rows", "results": [{"profile",
"rows", "probation", "windows", "tp", "fn", "fp", "detections", "raw",
"null", "perfect"}]}], "overall": [{"profile", "raw", "null", "perfect",
"normalised", "tp", "fn", "fp"}]}. Fields are only ever added.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fl.data = append(fl.data, args...)
			return runEvalAnomaly(cmd.OutOrStdout(), fl)
		},
	}

	f := cmd.Flags()
	f.StringSliceVar(&fl.data, "data", nil, "NAB-style CSV files to evaluate (repeat or comma-separate; extra arguments count too)")
	f.StringVar(&fl.labels, "labels", "", "labelled windows in NAB's combined_windows.json format (required)")
	f.StringVar(&fl.format, "format", "text", "output format: text or json")
	f.StringVar(&fl.profile, "profile", "all", "NAB profile to print: all, standard, reward_low_FP_rate or reward_low_FN_rate")
	f.StringVar(&fl.forecast, "forecast", "default",
		`forecasts for the residual features: "default" (the built-in model, as the pipeline), "none", or a model file`)
	f.Float64Var(&fl.threshold, "threshold", 0, fmt.Sprintf("anomaly score threshold (default %v, the detector's)", anomaly.DefaultThreshold))
	f.IntVar(&fl.cooldown, "cooldown", 0, fmt.Sprintf("windows without an anomaly that end an event (default %d; negative: report every anomalous window)", anomaly.DefaultCooldown))
	f.Float64Var(&fl.minChange, "min-change", 0, fmt.Sprintf("CPU points a flagged window must differ from the history by (default %v, the detector's)", anomaly.DefaultMinChange))
	f.Uint64Var(&fl.seed, "seed", 0, "forest seed")
	f.BoolVar(&fl.normalise, "normalise", false,
		"map each file onto 0-100 (its min to 0, its max to 100) before scoring: for files that are not CPU percent; never for CPU files")
	_ = cmd.MarkFlagRequired("labels")
	return cmd
}

func runEvalAnomaly(w io.Writer, fl evalAnomalyFlags) error {
	if len(fl.data) == 0 {
		return fmt.Errorf("eval anomaly: no data files (use --data)")
	}
	if fl.format != "text" && fl.format != "json" {
		return fmt.Errorf("eval anomaly: format %q, want text or json", fl.format)
	}

	cfg := nab.EvalConfig{Anomaly: anomaly.Config{Threshold: fl.threshold, Cooldown: fl.cooldown, MinChange: fl.minChange}, Normalise: fl.normalise}
	cfg.Anomaly.Forest.Seed = fl.seed
	if fl.profile != "all" {
		p, err := nab.ProfileByName(fl.profile)
		if err != nil {
			return fmt.Errorf("eval anomaly: %w", err)
		}
		cfg.Profiles = []nab.Profile{p}
	}
	nf, err := evalForecaster(fl.forecast)
	if err != nil {
		return fmt.Errorf("eval anomaly: %w", err)
	}
	cfg.NewForecaster = nf

	labels, err := nab.ReadLabelsFile(fl.labels)
	if err != nil {
		return fmt.Errorf("eval anomaly: %w", err)
	}
	rep, err := nab.Evaluate(fl.data, labels, cfg)
	if err != nil {
		return fmt.Errorf("eval anomaly: %w", err)
	}

	if fl.format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return printEvalAnomaly(w, rep)
}

// evalForecaster returns how Evaluate makes the forecast stage: nil for
// "none", the built-in model for "default", else the model file at name.
func evalForecaster(name string) (func() (nab.Forecaster, error), error) {
	if name == "none" {
		return nil, nil
	}
	var model *forecast.Model
	var err error
	if name == "default" {
		model, err = forecast.DefaultModel()
	} else {
		model, err = forecast.LoadModel(name)
	}
	if err != nil {
		return nil, fmt.Errorf("forecast model: %w", err)
	}
	return func() (nab.Forecaster, error) {
		return forecast.NewStage(forecast.Config{Step: 5 * time.Minute}, model)
	}, nil
}

// printEvalAnomaly writes the report as two tables: per file, then overall.
func printEvalAnomaly(w io.Writer, rep nab.Report) error {
	fmt.Fprintf(w, "threshold %.3g, cooldown %d windows, forecasts %v, normalised %v\n\n",
		rep.Threshold, rep.Config.Cooldown, rep.Config.Forecasts, rep.Config.Normalised)

	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	header := "file\twindows\tTP\tFN\tFP\tdetections\t"
	for _, r := range rep.Files[0].Results {
		header += "raw " + r.Profile + "\t"
	}
	fmt.Fprintln(tw, header)
	for _, f := range rep.Files {
		c := f.Results[0].Counts
		line := fmt.Sprintf("%s\t%d\t%d\t%d\t%d\t%d\t", filepath.Base(f.File), c.Windows, c.TP, c.FN, c.FP, c.Detections)
		for _, r := range f.Results {
			line += fmt.Sprintf("%.3f\t", r.Raw)
		}
		fmt.Fprintln(tw, line)
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "profile\traw\tnull\tperfect\tnormalised\t")
	for _, o := range rep.Overall {
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%.3f\t%.1f\t\n", o.Profile, o.Raw, o.Null, o.Perfect, o.Normalised)
	}
	return tw.Flush()
}
