package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/spf13/cobra"

	"github.com/scalora/scalora/pipeline/kafka"
	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/schemas/trace"
)

type produceOptions struct {
	brokers []string
	topic   string
	host    string
	group   string
	speed   float64
	rebase  bool
	batch   int
	trace   trace.Options
}

func newProduceCmd() *cobra.Command {
	var o produceOptions
	cmd := &cobra.Command{
		Use:   "produce --brokers ADDR [--topic T] --host H [--group G] [--speed N] FILE",
		Short: "Replay a CPU trace file into Kafka as one host's samples",
		Long: `Replay a CPU trace (NAB-style CSV "timestamp,value" with CPU in percent, or
a Bitbrains ';'-separated trace) into a Kafka topic as JSON samples of one
host, keyed by host.

By default timestamps are shifted so that the trace ends now, and samples are
sent as fast as the broker takes them; --speed N paces them N times faster
than the trace's own spacing (--speed 1 is real time).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runProduce(cmd.Context(), o, args[0], cmd)
		},
	}
	f := cmd.Flags()
	addTraceFlags(f, &o.trace)
	f.StringSliceVar(&o.brokers, "brokers", nil, "Kafka bootstrap brokers, comma-separated (required)")
	f.StringVar(&o.topic, "topic", "scalora.samples", "topic to produce to")
	f.StringVar(&o.host, "host", "", "host name the samples carry (required)")
	f.StringVar(&o.group, "group", schemas.DefaultGroup, "instance group of the host")
	f.Float64Var(&o.speed, "speed", 0, "replay speed-up over the trace's own spacing; 0 sends as fast as possible")
	f.BoolVar(&o.rebase, "rebase", true, "shift timestamps so that the trace ends at the current time")
	f.IntVar(&o.batch, "batch", 500, "samples per produce request when not paced")
	_ = cmd.MarkFlagRequired("brokers")
	_ = cmd.MarkFlagRequired("host")
	return cmd
}

func runProduce(ctx context.Context, o produceOptions, path string, cmd *cobra.Command) error {
	if strings.TrimSpace(o.host) == "" {
		return fmt.Errorf("--host must not be empty")
	}
	if o.speed < 0 || o.batch <= 0 {
		return fmt.Errorf("--speed must be >= 0 and --batch > 0")
	}

	series, err := trace.ReadAnyWith(path, o.trace)
	if err != nil {
		return err
	}

	pub, err := kafka.NewPublisher(kafka.PublisherConfig{Config: kafka.Config{Brokers: o.brokers}}, slog.Default(), nil)
	if err != nil {
		return fmt.Errorf("connect to kafka: %w", err)
	}
	defer pub.Close()

	shift := time.Duration(0)
	if o.rebase {
		shift = time.Since(series.Points[len(series.Points)-1].Time).Truncate(time.Second)
	}

	sent, err := replay(ctx, pub, o, series, shift)
	fmt.Fprintf(cmd.OutOrStdout(), "produced %d samples of host %s (group %s) to %s\n", sent, o.host, o.group, o.topic)
	return err
}

// replay sends the series' points as samples, paced by o.speed.
func replay(ctx context.Context, pub message.Publisher, o produceOptions, s *trace.Series, shift time.Duration) (int, error) {
	batch := o.batch
	if o.speed > 0 {
		batch = 1
	}

	start := time.Now()
	first := s.Points[0].Time
	sent := 0
	msgs := make([]*message.Message, 0, batch)
	for i, p := range s.Points {
		if o.speed > 0 {
			due := start.Add(time.Duration(float64(p.Time.Sub(first)) / o.speed))
			if err := sleepUntil(ctx, due); err != nil {
				return sent, err
			}
		}

		m, err := sampleMessage(schemas.Sample{
			Version: schemas.SampleVersion, Host: o.host, Group: o.group,
			Time: p.Time.Add(shift), CPU: p.CPU,
		})
		if err != nil {
			return sent, err
		}
		msgs = append(msgs, m)

		if len(msgs) == batch || i == len(s.Points)-1 {
			if err := pub.Publish(o.topic, msgs...); err != nil {
				return sent, fmt.Errorf("publish: %w", err)
			}
			sent += len(msgs)
			msgs = msgs[:0]
		}
	}
	return sent, nil
}

// sampleMessage encodes s as an input message keyed by its host.
func sampleMessage(s schemas.Sample) (*message.Message, error) {
	payload, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("encode sample: %w", err)
	}
	m := message.NewMessage(s.Host+"/"+s.Time.UTC().Format(time.RFC3339Nano), payload)
	m.Metadata.Set(kafka.KeyMetadata, s.Host)
	return m, nil
}

func sleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
