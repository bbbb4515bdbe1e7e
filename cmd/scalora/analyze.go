package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/scalora/scalora/schemas/trace"
	"github.com/scalora/scalora/stages/decision"
	"github.com/scalora/scalora/stages/forecast"
	"github.com/scalora/scalora/stages/simulate"
	"github.com/scalora/scalora/stages/simulate/report"
)

// analyzeRows caps each list of the text output; the JSON has everything.
const analyzeRows = 20

type analyzeOptions struct {
	provider     string
	region       string
	instanceType string
	costPerHour  float64
	instances    int
	step         time.Duration
	model        string
	format       string
	out          string
	trace        trace.Options
}

// newAnalyzeCmd returns "scalora analyze": a trace file through the
// pipeline's stages and the three-way simulation, printed as text or JSON.
func newAnalyzeCmd() *cobra.Command {
	var o analyzeOptions
	cmd := &cobra.Command{
		Use:   "analyze FILE [--provider P --instance-type T | --cost-per-hour X] [--region R] [--instances N] [--format text|json|html] [--out FILE]",
		Short: "Replay a CPU trace through the stages and compare static, reactive and predictive scaling",
		Long: `Read a CPU trace (its format detected: NAB-style CSV "timestamp,value",
CloudWatch CSV or JSON, Prometheus query_range, Datadog, GCP Monitoring,
Bitbrains or a generic CSV; CPU in percent) as the average CPU of a group
running --instances instances, and run it through the same stages as the
pipeline: window, LSTM forecast (made only from data before each step),
anomaly detection, decision and cost. The step is the file's own
(the median gap between readings, rounded to the minute) unless --step says.

Prints the history with the predicted CPU, the anomalies, the scaling
decisions, the missed scale-down opportunities of the history (the group ran
--instances throughout), and a simulation of three policies side by side:
static (--instances), reactive (a threshold autoscaler: out above 70 % for 3
steps, in below 30 % for 10) and predictive (Scalora's decisions), each with
instance-hours, cost, and steps under-provisioned (demand above the running
instances) or strained (above them at the target utilisation). New
instances of both autoscalers count only once booted. An "ideal" row, which
runs exactly what each step needs, bounds what any policy can save.

The price is the catalog's for --provider/--region/--instance-type (default
aws us-east-1 m5.large), or --cost-per-hour. --format json prints every step;
its fields are documented in package stages/simulate.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return analyzeToOutput(cmd, o, args[0])
		},
	}
	f := cmd.Flags()
	addTraceFlags(f, &o.trace)
	f.StringVar(&o.provider, "provider", "", "cloud provider of the group: aws or gcp (default aws)")
	f.StringVar(&o.region, "region", "", "region of the group (default us-east-1 on aws, us-central1 on gcp)")
	f.StringVar(&o.instanceType, "instance-type", "", "instance type (default m5.large on aws, e2-standard-2 on gcp)")
	f.Float64Var(&o.costPerHour, "cost-per-hour", 0, "USD per instance-hour, instead of the price catalog")
	f.IntVar(&o.instances, "instances", decision.DefaultInstances, "instances the trace's CPU was measured on; the static policy's count")
	f.DurationVar(&o.step, "step", 0, "step of the analysis (default: the file's own)")
	f.StringVar(&o.model, "model", "", "forecast model file (default: the built-in model)")
	f.StringVar(&o.format, "format", "text", "output format: text, json or html (one self-contained page with charts)")
	f.StringVar(&o.out, "out", "", "write the output to this file instead of stdout")
	return cmd
}

func runAnalyze(o analyzeOptions, path string, out io.Writer) error {
	if o.format != "text" && o.format != "json" && o.format != "html" {
		return fmt.Errorf("--format %q is not one of text, json, html", o.format)
	}
	if o.instances < 1 {
		return fmt.Errorf("--instances %d must be at least 1", o.instances)
	}

	s, err := trace.ReadAnyWith(path, o.trace) // the format detected
	if err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	opts, err := analyzeConfig(o)
	if err != nil {
		return err
	}
	rep, err := simulate.Analyze(s, opts)
	if err != nil {
		return fmt.Errorf("analyze: %w", err)
	}

	if o.format == "html" {
		return report.RenderHTML(out, rep)
	}
	if o.format == "json" {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return printAnalysis(out, &rep)
}

// analyzeConfig turns the flags into the options shared with the API.
func analyzeConfig(o analyzeOptions) (simulate.AnalyzeOptions, error) {
	opts := simulate.AnalyzeOptions{
		Provider: o.provider, Region: o.region, InstanceType: o.instanceType,
		CostPerHour: o.costPerHour, Instances: o.instances, Step: o.step,
	}
	if o.model != "" {
		m, err := forecast.LoadModel(o.model)
		if err != nil {
			return opts, fmt.Errorf("analyze: --model: %w", err)
		}
		opts.Model = m
	}
	return opts, nil
}

func printAnalysis(out io.Writer, r *simulate.Report) error {
	g := r.Group
	step := time.Duration(r.StepSeconds) * time.Second
	fmt.Fprintf(out, "Trace %s (read as %s): %d steps of %s from %s (%d filled), model %s\n",
		r.Trace, r.FormatDetected, r.Steps, shortDur(step), r.Start.Format(time.RFC3339), r.FilledSteps, r.Model)
	fmt.Fprintf(out, "Group: %d × %s (%s %s) at $%.4f/h, target %g%%, boot %s, scale-in after %s, at most %d a step\n\n",
		g.Instances, g.InstanceType, g.Provider, g.Region, g.PricePerHour, 100*g.TargetUtilization,
		shortDur(time.Duration(g.BootSeconds)*time.Second),
		shortDur(time.Duration(g.ScaleInStabilizationSeconds)*time.Second), g.MaxScaleInStep)

	printHistory(out, r)
	printAnomalies(out, r)
	printDecisions(out, r)
	printOpportunities(out, r)
	printSimulation(out, r)
	return nil
}

// printHistory prints at most 2×analyzeRows evenly spaced steps.
func printHistory(out io.Writer, r *simulate.Report) {
	every := max(1, (len(r.Series)+2*analyzeRows-1)/(2*analyzeRows))
	fmt.Fprintf(out, "History (every %d steps; --format json has all):\n", every)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "time\tcpu %\tpredicted %\tdemand\tanomaly\taction\ttarget\tstatic\treactive\tpredictive\t")
	for i := 0; i < len(r.Series); i += every {
		s := r.Series[i]
		pred := "-"
		if s.PredictedCPU != nil {
			pred = fmt.Sprintf("%.1f", *s.PredictedCPU)
		}
		fmt.Fprintf(tw, "%s\t%.1f\t%s\t%.2f\t%.2f\t%s\t%d\t%d\t%d\t%d\t\n",
			s.Time.Format("01-02 15:04"), s.CPU, pred, s.Demand, s.AnomalyScore, s.Action, s.Target,
			s.RunningStatic, s.RunningReactive, s.RunningPredictive)
	}
	tw.Flush()
	fmt.Fprintln(out)
}

func printAnomalies(out io.Writer, r *simulate.Report) {
	fmt.Fprintf(out, "Anomalies: %d\n", len(r.Anomalies))
	for i, a := range r.Anomalies {
		if i == analyzeRows {
			fmt.Fprintf(out, "  ... %d more\n", len(r.Anomalies)-i)
			break
		}
		fmt.Fprintf(out, "  %s  %-9s score %.2f  %s\n", a.Time.Format(time.RFC3339), a.Kind, a.Score, a.Explanation)
	}
	fmt.Fprintln(out)
}

func printDecisions(out io.Writer, r *simulate.Report) {
	fmt.Fprintf(out, "Scaling decisions: %d of %d steps (the others maintain)\n", len(r.Decisions), r.Steps)
	for i, d := range r.Decisions {
		if i == analyzeRows {
			fmt.Fprintf(out, "  ... %d more\n", len(r.Decisions)-i)
			break
		}
		fmt.Fprintf(out, "  %s  %-10s %2d → %-2d  %s\n", d.Time.Format(time.RFC3339), d.Action, d.Current, d.Target, d.Reason)
	}
	p := r.Pipeline
	fmt.Fprintf(out, "  cost stage: static $%.2f, decided $%.2f, savings $%.2f\n", p.StaticUSD, p.DecidedUSD, p.SavingsUSD)
	fmt.Fprintf(out, "  (each decision's target priced for its step; the simulation below counts new\n"+
		"  instances only once booted, so its predictive cost differs)\n\n")
}

func printOpportunities(out io.Writer, r *simulate.Report) {
	hours, usd := 0.0, 0.0
	for _, o := range r.Opportunities {
		hours += o.InstanceHours
		usd += o.CostUSD
	}
	fmt.Fprintf(out, "Missed scale-down opportunities on the history: %d, %.1f instance-hours, $%.2f\n",
		len(r.Opportunities), hours, usd)
	for i, o := range r.Opportunities {
		if i == analyzeRows {
			fmt.Fprintf(out, "  ... %d more\n", len(r.Opportunities)-i)
			break
		}
		fmt.Fprintf(out, "  %s → %s  %d of %d removable  %.1f instance-hours  $%.2f\n",
			o.Start.Format(time.RFC3339), o.End.Format(time.RFC3339), o.Removable, o.MaxRunning, o.InstanceHours, o.CostUSD)
	}
	fmt.Fprintln(out)
}

func printSimulation(out io.Writer, r *simulate.Report) {
	fmt.Fprintln(out, "Simulation:")
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "policy\tinstance-hours\tcost $\tunder-provisioned\tstrained\tscale-outs\tscale-ins\t")
	for _, o := range r.Simulation {
		fmt.Fprintf(tw, "%s\t%.1f\t%.2f\t%d (%.2f%%)\t%d (%.2f%%)\t%d\t%d\t\n",
			o.Policy, o.InstanceHours, o.CostUSD, o.UnderProvisionedSteps, o.UnderProvisionedPct,
			o.StrainedSteps, o.StrainedPct, o.ScaleOuts, o.ScaleIns)
	}
	tw.Flush()

	a := r.Acceptance
	verdict := "met"
	if !a.Met {
		verdict = "not met"
	}
	fmt.Fprintf(out, "\nAcceptance (≥ %g%% fewer instance-hours than static, ≤ %g%% under-provisioned, "+
		"fewer under-provisioned steps than reactive at no more cost): %s\n",
		simulate.AcceptSavedPct, simulate.AcceptUnderPct, verdict)
	for _, c := range a.Checks {
		mark := "ok  "
		if !c.Met {
			mark = "MISS"
		}
		fmt.Fprintf(out, "  %s %s: %s\n", mark, strings.ReplaceAll(c.Name, "_", " "), c.Detail)
	}
}

// shortDur prints a duration without trailing zero units: 5m, 1h30m, 90s.
func shortDur(d time.Duration) string {
	s := d.String()
	s = strings.TrimSuffix(s, "m0s")
	if strings.HasSuffix(d.String(), "m0s") {
		s += "m"
	}
	return strings.Replace(s, "h0m", "h", 1)
}
