package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/scalora/scalora/pipeline/app"
	"github.com/scalora/scalora/schemas"
)

type benchOptions struct {
	brokers    string
	embedded   bool
	brokerPID  int
	data       string
	hosts      int
	steps      int
	warmup     int
	perStep    int
	rate       float64
	step       time.Duration
	partitions int32
	groups     int
	dataDir    string
	timeout    time.Duration
	seed       uint64
	cpuProfile string
	memProfile string
	commit     time.Duration
	flushRows  int
}

func newBenchCmd() *cobra.Command {
	var o benchOptions
	cmd := &cobra.Command{
		Use:   "bench [--brokers HOST:PORT] [--hosts N --steps S --per-step K] [--rate R]",
		Short: "Measure the whole pipeline end to end on a Kafka broker and print JSON",
		Long: `Replay many hosts through a Kafka broker and the whole pipeline (window,
forecast, anomaly, decision, cost, store on the embedded ClickHouse engine)
in this process, and print as JSON: samples per second sustained end to end,
latency percentiles from a sample's production to its decision and to its
stored rows, CPU seconds per 1,000 samples, peak RSS and the time spent per
stage.

The hosts replay the traces in --data (one file per host, in any format
scalora reads or PlanetLab's one value per line), or synthetic PlanetLab-like
series. With --per-step 1 (the default, and the hardest case) every sample
closes a step, so every sample is windowed, forecast, scored, decided, costed
and stored. The first --warmup steps of every host are not timed: they let
the consumer group settle and the windows fill.

The broker is a real one (start one with deploy/kafka/kafka.sh start), or
the in-process kfake with --embedded, which is not a measure of Kafka.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rep, err := runBench(cmd.Context(), o, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetIndent("", "  ")
			return enc.Encode(rep)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.brokers, "brokers", cmp.Or(os.Getenv("SCALORA_KAFKA_BROKERS"), "127.0.0.1:9092"), "Kafka brokers, comma-separated")
	f.BoolVar(&o.embedded, "embedded", false, "use the in-process kfake broker instead of --brokers")
	f.IntVar(&o.brokerPID, "broker-pid", 0, "pid of the broker process, to report its CPU too (Linux)")
	f.StringVar(&o.data, "data", "", "folder of traces, one host each (default: synthetic series)")
	f.IntVar(&o.hosts, "hosts", 2000, "hosts")
	f.IntVar(&o.steps, "steps", 30, "timed steps per host")
	f.IntVar(&o.warmup, "warmup", 90, "untimed steps per host before them: 24 fill a window, 64 more the anomaly stage's first fit")
	f.IntVar(&o.perStep, "per-step", 1, "samples per host per step")
	f.Float64Var(&o.rate, "rate", 0, "samples per second to produce; 0 is as fast as possible")
	f.DurationVar(&o.step, "step", time.Minute, "window step")
	f.Int32Var(&o.partitions, "partitions", 4, "partitions of the bench's topics")
	f.IntVar(&o.groups, "groups", 20, "instance groups the hosts are spread over")
	f.StringVar(&o.dataDir, "data-dir", "", "where the store is written (default: a temporary folder, removed)")
	f.DurationVar(&o.timeout, "timeout", 10*time.Minute, "give up after this long")
	f.Uint64Var(&o.seed, "seed", 1, "seed of the synthetic series")
	f.DurationVar(&o.commit, "commit-interval", time.Second, "the pipeline's kafka.commit_interval (each commit writes the store)")
	f.IntVar(&o.flushRows, "flush-rows", 20_000, "the pipeline's outbox.flush_rows (pending records that force a write)")
	f.StringVar(&o.cpuProfile, "cpuprofile", "", "write a pprof CPU profile of the timed phase to this file")
	f.StringVar(&o.memProfile, "memprofile", "", "write a pprof allocation profile (whole run) to this file")
	return cmd
}

// runBench runs the benchmark and returns its report; progress goes to log.
func runBench(ctx context.Context, o benchOptions, log io.Writer) (*BenchReport, error) {
	if o.hosts < 1 || o.steps < 1 || o.perStep < 1 || o.warmup < 0 || o.groups < 1 {
		return nil, fmt.Errorf("bench: hosts, steps, per-step and groups must be positive")
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()

	total := o.warmup + o.steps
	series, source, err := benchSeries(o.data, o.hosts, total, o.seed)
	if err != nil {
		return nil, err
	}

	cfg, cleanup, err := benchConfig(o)
	if err != nil {
		return nil, err
	}
	defer cleanup()

	a, err := app.New(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- a.Run(runCtx) }()
	defer func() {
		stop()
		<-done
	}()

	cl, err := kgo.NewClient(kgo.SeedBrokers(a.Brokers()...), kgo.DefaultProduceTopic(cfg.Topics.Samples),
		kgo.ProducerLinger(2*time.Millisecond), kgo.MaxBufferedRecords(1<<16))
	if err != nil {
		return nil, fmt.Errorf("bench producer: %w", err)
	}
	defer cl.Close()

	// Samples end one step before now, so none is ahead of the clock.
	start := time.Now().Add(-time.Duration(total+1) * o.step).Truncate(o.step)
	payloads := benchPayloads(o, series, start)

	fmt.Fprintf(log, "bench: %d hosts, %d warm-up and %d timed steps, %d samples a step each, on %s\n",
		o.hosts, o.warmup, o.steps, o.perStep, strings.Join(a.Brokers(), ","))
	warm := o.warmup * o.perStep * o.hosts
	if err := produce(ctx, cl, payloads[:warm], 0); err != nil {
		return nil, err
	}
	if err := waitTaken(ctx, a, int64(warm)); err != nil {
		return nil, err
	}
	if err := a.Flush(ctx); err != nil {
		return nil, fmt.Errorf("bench: flush after warm-up: %w", err)
	}
	fmt.Fprintf(log, "bench: warm-up done (%d samples), timing %d samples\n", warm, len(payloads)-warm)

	before, err := takeSnapshot(a, o.brokerPID)
	if err != nil {
		return nil, err
	}
	stopProfile, err := startCPUProfile(o.cpuProfile)
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	if err := produce(ctx, cl, payloads[warm:], o.rate); err != nil {
		return nil, err
	}
	if err := waitTaken(ctx, a, int64(len(payloads))); err != nil {
		return nil, err
	}
	if err := a.Flush(ctx); err != nil {
		return nil, fmt.Errorf("bench: final flush: %w", err)
	}
	elapsed := time.Since(t0)
	stopProfile()
	if err := writeMemProfile(o.memProfile); err != nil {
		return nil, err
	}
	after, err := takeSnapshot(a, o.brokerPID)
	if err != nil {
		return nil, err
	}

	rep := benchReport(o, source, len(payloads)-warm, elapsed, before, after)
	if o.embedded {
		rep.Broker = "embedded (kfake)"
	}
	return rep, nil
}

// benchConfig is the pipeline's configuration for a bench run: its own
// topics, group and store, and the caller's cleanup.
func benchConfig(o benchOptions) (app.Config, func(), error) {
	var cfg app.Config
	cleanup := func() {}
	cfg.DataDir = o.dataDir
	if cfg.DataDir == "" {
		dir, err := os.MkdirTemp("", "scalora-bench-")
		if err != nil {
			return cfg, nil, fmt.Errorf("bench: %w", err)
		}
		cfg.DataDir = dir
		cleanup = func() { _ = os.RemoveAll(dir) }
	}

	suffix := strconv.FormatInt(time.Now().UnixNano(), 36)
	cfg.HTTP.Addr = "off"
	if o.embedded {
		cfg.Kafka.EmbeddedPort = -1
	} else {
		cfg.Kafka.Brokers = strings.Split(o.brokers, ",")
	}
	cfg.Kafka.ConsumerGroup = "bench-" + suffix
	cfg.Kafka.Partitions = o.partitions
	cfg.Topics.Samples = "bench.samples." + suffix
	cfg.Topics.Forecasts = "bench.forecasts." + suffix
	cfg.Topics.Anomalies = "bench.anomalies." + suffix
	cfg.Topics.Decisions = "bench.decisions." + suffix
	cfg.Topics.Savings = "bench.savings." + suffix
	cfg.Topics.DeadLetter = "bench.deadletter." + suffix
	cfg.Kafka.CommitInterval = o.commit
	cfg.Outbox.FlushRows = o.flushRows
	cfg.Outbox.MaxPendingRows = max(10*o.flushRows, 200_000)
	cfg.Window.Step = o.step
	cfg.Decision.Step = o.step
	cfg.Limits.MaxPast = time.Duration(o.warmup+o.steps+2) * o.step
	return cfg, cleanup, nil
}

// benchPayloads encodes every sample, step by step, host by host, so that
// producing them costs only the Kafka client.
func benchPayloads(o benchOptions, series [][]float64, start time.Time) []*kgo.Record {
	out := make([]*kgo.Record, 0, len(series[0])*o.perStep*o.hosts)
	for n := range series[0] {
		for k := range o.perStep {
			at := start.Add(time.Duration(n)*o.step + time.Duration(k)*o.step/time.Duration(o.perStep))
			for h := range o.hosts {
				host := "bench-" + strconv.Itoa(h)
				s := schemas.Sample{Version: schemas.SampleVersion, Host: host,
					Group: "g" + strconv.Itoa(h%o.groups), Time: at, CPU: series[h][n]}
				payload, _ := json.Marshal(s)
				out = append(out, &kgo.Record{Key: []byte(host), Value: payload})
			}
		}
	}
	return out
}

// produce sends recs, at rate per second when rate is positive, and waits
// for every acknowledgement. Each record's timestamp is set as it is sent.
func produce(ctx context.Context, cl *kgo.Client, recs []*kgo.Record, rate float64) error {
	errc := make(chan error, 1)
	t0 := time.Now()
	for i, r := range recs {
		if rate > 0 && i%100 == 0 {
			due := t0.Add(time.Duration(float64(i) / rate * float64(time.Second)))
			if d := time.Until(due); d > 0 {
				time.Sleep(d)
			}
		}
		r.Timestamp = time.Now()
		cl.Produce(ctx, r, func(_ *kgo.Record, err error) {
			if err != nil {
				select {
				case errc <- err:
				default:
				}
			}
		})
	}
	if err := cl.Flush(ctx); err != nil {
		return fmt.Errorf("bench produce: %w", err)
	}
	select {
	case err := <-errc:
		return fmt.Errorf("bench produce: %w", err)
	default:
		return nil
	}
}

// waitTaken waits until the pipeline has taken n samples, until ctx ends.
func waitTaken(ctx context.Context, a *app.App, n int64) error {
	for a.Processed() < n {
		select {
		case <-ctx.Done():
			return fmt.Errorf("bench: %d of %d samples processed: %w", a.Processed(), n, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
	return nil
}

// snapshot is what the report subtracts across the timed phase.
type snapshot struct {
	cpu       time.Duration
	brokerCPU time.Duration
	maxRSSKB  int64
	toDecide  histogram
	toStore   histogram
	stages    map[string]histogram
}

var benchStages = []string{"window", "forecast", "anomaly", "decision", "cost"}

func takeSnapshot(a *app.App, brokerPID int) (snapshot, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return snapshot{}, fmt.Errorf("bench: getrusage: %w", err)
	}
	mfs, err := a.Registry().Gather()
	if err != nil {
		return snapshot{}, fmt.Errorf("bench: metrics: %w", err)
	}
	s := snapshot{
		cpu:      time.Duration(ru.Utime.Nano() + ru.Stime.Nano()),
		maxRSSKB: ru.Maxrss,
		toDecide: findHistogram(mfs, "scalora_sample_to_decision_seconds", nil),
		toStore:  findHistogram(mfs, "scalora_sample_to_store_seconds", nil),
		stages:   map[string]histogram{},
	}
	for _, st := range benchStages {
		s.stages[st] = findHistogram(mfs, "scalora_stage_duration_seconds", map[string]string{"stage": st})
	}
	if brokerPID > 0 {
		s.brokerCPU, err = processCPU(brokerPID)
		if err != nil {
			return snapshot{}, err
		}
	}
	return s, nil
}

// processCPU reads a process's user and system time from /proc (Linux),
// in clock ticks of 1/100 s, as every Linux system this runs on uses.
func processCPU(pid int) (time.Duration, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("bench: broker cpu: %w", err)
	}
	// Fields after the command name, which ends with the last ')'.
	fields := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+1:]))
	if len(fields) < 13 {
		return 0, fmt.Errorf("bench: broker cpu: short /proc stat")
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond, nil
}

func benchReport(o benchOptions, source string, samples int, elapsed time.Duration, before, after snapshot) *BenchReport {
	rep := &BenchReport{Broker: "kafka", Stages: map[string]StageTime{}}
	rep.Workload.Source = source
	rep.Workload.Hosts, rep.Workload.Steps, rep.Workload.SamplesPerStep = o.hosts, o.steps, o.perStep
	rep.Workload.Samples, rep.Workload.TargetRate = samples, o.rate

	rep.Seconds = round3(elapsed.Seconds())
	rep.SamplesPerSecond = math.Round(float64(samples) / elapsed.Seconds())
	rep.LatencyToDecisionMS = after.toDecide.minus(before.toDecide).percentilesMS()
	rep.LatencyToStoreMS = after.toStore.minus(before.toStore).percentilesMS()
	rep.CPUSecondsPer1000 = round3((after.cpu - before.cpu).Seconds() / float64(samples) * 1000)
	if o.brokerPID > 0 {
		v := round3((after.brokerCPU - before.brokerCPU).Seconds() / float64(samples) * 1000)
		rep.BrokerCPUSecondsPer1000 = &v
	}
	rep.PeakRSSMB = round3(float64(after.maxRSSKB) / 1024)
	for _, st := range benchStages {
		h := after.stages[st].minus(before.stages[st])
		t := StageTime{Calls: int64(h.count), Seconds: round3(h.sum)}
		if h.count > 0 {
			t.MicrosPerCall = round3(1e6 * h.sum / float64(h.count))
		}
		rep.Stages[st] = t
	}
	rep.StepsClosed = float64(rep.Stages["forecast"].Calls)
	return rep
}

// startCPUProfile starts a CPU profile into path (none when empty) and
// returns what stops it.
func startCPUProfile(path string) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("bench: cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("bench: cpu profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// writeMemProfile writes the allocation profile to path (nothing when
// empty).
func writeMemProfile(path string) error {
	if path == "" {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("bench: memory profile: %w", err)
	}
	defer f.Close()
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		return fmt.Errorf("bench: memory profile: %w", err)
	}
	return nil
}
