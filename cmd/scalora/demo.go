package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"text/tabwriter"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/scalora/scalora/cmd/scalora/traces"
	"github.com/scalora/scalora/pipeline/app"
	"github.com/scalora/scalora/pipeline/kafka"
	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/schemas/trace"
	"github.com/scalora/scalora/stages/decision"
)

// demoHosts are the bundled traces the demo replays, one host each: the
// five EC2 instances of NAB's CloudWatch set, read as hosts of one group.
var demoHosts = []string{
	"ec2_cpu_utilization_24ae8d",
	"ec2_cpu_utilization_53ea38",
	"ec2_cpu_utilization_77c1ca",
	"ec2_cpu_utilization_825cc2",
	"ec2_cpu_utilization_c6585a",
}

const demoGroup = "web"

type demoOptions struct {
	duration time.Duration
	dataDir  string
	keep     bool
	verbose  bool
}

func newDemoCmd() *cobra.Command {
	var o demoOptions
	cmd := &cobra.Command{
		Use:   "demo [--duration 30s]",
		Short: "Run the whole pipeline in-process on a bundled real CPU trace",
		Long: `Start the embedded pipeline (in-process Kafka, the embedded ClickHouse
engine), replay five real EC2 CPU traces from the Numenta Anomaly Benchmark
(14 days at 5-minute steps each) as the hosts of one group "web" of 10
m5.large instances, print a live table of CPU, forecast and decision, and end
with the savings summary read back from the store with SQL.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd.Context(), o, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.DurationVar(&o.duration, "duration", 30*time.Second, "how long the replay of the traces takes")
	f.StringVar(&o.dataDir, "data-dir", "", "where the embedded Kafka and chDB keep their data (default: a temporary folder)")
	f.BoolVar(&o.keep, "keep", false, "keep the data folder after the demo")
	f.BoolVar(&o.verbose, "verbose", false, "log the pipeline's lifecycle to stderr")
	return cmd
}

func runDemo(ctx context.Context, o demoOptions, out io.Writer) error {
	if o.duration <= 0 {
		return errors.New("--duration must be positive")
	}
	series, err := loadDemoTraces()
	if err != nil {
		return err
	}

	dir, cleanup, err := demoDataDir(o)
	if err != nil {
		return err
	}
	defer cleanup()

	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if o.verbose {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}

	cfg := demoConfig(dir)
	a, err := app.New(ctx, cfg, log)
	if err != nil {
		return fmt.Errorf("start pipeline: %w", err)
	}

	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- a.Run(runCtx) }()
	defer func() {
		stop()
		<-done
	}()

	fmt.Fprintf(out, "Scalora demo: %d hosts of group %q replayed through Kafka (%s) into chDB (%s)\n\n",
		len(series), demoGroup, a.Brokers()[0], dir)

	sent, err := demoReplay(ctx, a, series, o.duration, out)
	if err != nil {
		return err
	}
	if err := waitProcessed(ctx, a, sent); err != nil {
		return err
	}
	if err := a.Flush(ctx); err != nil {
		return fmt.Errorf("flush results: %w", err)
	}

	printLive(out, a)
	return printSavings(ctx, out, a, sent)
}

func loadDemoTraces() ([]*trace.Series, error) {
	out := make([]*trace.Series, 0, len(demoHosts))
	for _, name := range demoHosts {
		s, err := traces.Load(name)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func demoDataDir(o demoOptions) (string, func(), error) {
	if o.dataDir != "" {
		return o.dataDir, func() {}, os.MkdirAll(o.dataDir, 0o755)
	}
	dir, err := os.MkdirTemp("", "scalora-demo-")
	if err != nil {
		return "", nil, fmt.Errorf("demo data folder: %w", err)
	}
	if o.keep {
		return dir, func() {}, nil
	}
	return dir, func() { _ = os.RemoveAll(dir) }, nil
}

// demoConfig is the embedded default with the traces' 5-minute step and the
// demo group's cloud configuration.
func demoConfig(dir string) app.Config {
	var c app.Config
	c.DataDir = dir
	c.HTTP.Addr = "off"
	c.Kafka.EmbeddedPort = -1 // a free port: the demo may run beside "scalora run"
	c.Window.Step = 5 * time.Minute
	c.Kafka.CommitInterval = 500 * time.Millisecond
	// One partition: the replay runs far faster than real time, and hosts on
	// partitions consumed at different speeds could drift further apart
	// than a group's decision waits for them (decision.wait_steps), which
	// would make two runs of the demo decide differently.
	c.Kafka.Partitions = 1
	c.SetDefaults()

	g := c.Decision.Default
	g.Name = demoGroup
	g.Provider, g.Region, g.InstanceType = "aws", "us-east-1", "m5.large"
	g.Instances = 10
	c.Decision.Groups = map[string]decision.GroupConfig{demoGroup: g}
	return c
}

// demoReplay sends the traces step by step, all hosts at each step, spread
// evenly over d, with event times shifted so that the replay ends now. It
// prints the live table every two seconds.
func demoReplay(ctx context.Context, a *app.App, series []*trace.Series, d time.Duration, out io.Writer) (int, error) {
	pub, err := kafka.NewPublisher(kafka.PublisherConfig{Config: kafka.Config{Brokers: a.Brokers()}}, nil, nil)
	if err != nil {
		return 0, fmt.Errorf("demo producer: %w", err)
	}
	defer pub.Close()

	steps := 0
	for _, s := range series {
		steps = max(steps, len(s.Points))
	}
	step := a.Config().Window.Step
	end := time.Now().UTC().Truncate(step)

	tick := time.NewTicker(max(d/time.Duration(steps), time.Millisecond))
	defer tick.Stop()
	live := newLiveTable(out)
	table := time.NewTicker(live.every)
	defer table.Stop()

	sent := 0
	for i := range steps {
		msgs := make([]*message.Message, 0, len(series))
		for h, s := range series {
			if i >= len(s.Points) {
				continue
			}
			// Align each trace's i-th point to the same instant: the traces
			// were recorded on different dates, the demo plays them together.
			at := end.Add(-time.Duration(len(s.Points)-i) * step)
			m, err := sampleMessage(schemas.Sample{
				Version: schemas.SampleVersion, Host: fmt.Sprintf("web-%d", h+1),
				Group: demoGroup, Time: at, CPU: s.Points[i].CPU,
			})
			if err != nil {
				return sent, err
			}
			msgs = append(msgs, m)
		}
		if err := pub.Publish(a.Config().Topics.Samples, msgs...); err != nil {
			return sent, fmt.Errorf("demo produce: %w", err)
		}
		sent += len(msgs)

		select {
		case <-ctx.Done():
			return sent, ctx.Err()
		case <-table.C:
			live.draw(a)
		case <-tick.C:
		}
	}
	return sent, nil
}

// waitProcessed waits until the pipeline has taken every sample sent.
func waitProcessed(ctx context.Context, a *app.App, sent int) error {
	deadline := time.Now().Add(2 * time.Minute)
	for a.Processed() < int64(sent) {
		if time.Now().After(deadline) {
			return fmt.Errorf("pipeline took %d of %d samples in 2 minutes", a.Processed(), sent)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return nil
}

// liveTable shows the live status while the demo replays: redrawn in
// place every second on a terminal, printed every ten seconds otherwise.
type liveTable struct {
	out   io.Writer
	tty   bool
	every time.Duration
}

func newLiveTable(out io.Writer) *liveTable {
	f, ok := out.(*os.File)
	if ok && term.IsTerminal(int(f.Fd())) {
		return &liveTable{out: out, tty: true, every: time.Second}
	}
	return &liveTable{out: out, every: 10 * time.Second}
}

func (l *liveTable) draw(a *app.App) {
	if l.tty {
		fmt.Fprint(l.out, "\033[H\033[2J") // home, clear screen
	}
	printLive(l.out, a)
}

func printLive(out io.Writer, a *app.App) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "host\tstep (UTC)\tcpu %\tforecast next %\tmodel\tanomaly score\tanomaly\t")
	for _, h := range a.Live().Hosts() {
		kind := "-"
		if h.Anomalous {
			kind = h.AnomalyKind
		}
		fmt.Fprintf(tw, "%s\t%s\t%.1f\t%.1f\t%s\t%.2f\t%s\t\n",
			h.Host, h.Time.Format("01-02 15:04"), h.CPU, h.PredictedCPU, h.Model, h.AnomalyScore, kind)
	}
	_ = tw.Flush()

	if g, ok := a.Live().Group(demoGroup); ok {
		fmt.Fprintf(out, "group %s: %s %d -> %d instances; savings so far $%.2f\n  reason: %s\n\n",
			g.Group, g.Decision.Action, g.Decision.Current, g.Decision.Target, g.SavingsSoFar, g.Decision.Reason)
	}
}
