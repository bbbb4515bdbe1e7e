package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/spf13/cobra"

	"github.com/scalora/scalora/pipeline/agent"
	"github.com/scalora/scalora/pipeline/kafka"
)

type agentOptions struct {
	brokers     []string
	topic       string
	endpoint    string
	cfg         agent.Config
	metricsAddr string
	logLevel    string
}

// newAgentCmd returns "scalora agent": this host's CPU, sampled from
// /proc/stat, sent to Kafka or to the HTTP API.
func newAgentCmd() *cobra.Command {
	var o agentOptions
	cmd := &cobra.Command{
		Use:   "agent (--kafka BROKERS | --endpoint URL) [--interval 10s] [--group G] [--host H]",
		Short: "Sample this Linux host's CPU and send it to Scalora",
		Long: `Read /proc/stat every --interval and send this host's CPU percent (idle and
iowait count as idle) and core count as samples, either to the input topic on
Kafka (--kafka, keyed by host) or to the HTTP API (--endpoint, POST
/v1/samples, with "Authorization: Bearer $SCALORA_API_KEY" when that is set).

Samples are sent from a separate goroutine with retries; while the destination
is down up to --buffer samples are kept and the oldest are dropped first
(scalora_agent_dropped_samples_total, on --metrics-addr when given). Stops on
SIGINT or SIGTERM; samples not yet sent are lost.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runAgentCmd(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&o.brokers, "kafka", nil, "Kafka brokers, host:port (repeat or comma-separate)")
	f.StringVar(&o.topic, "topic", "scalora.samples", "Kafka topic of the samples")
	f.StringVar(&o.endpoint, "endpoint", "", "base URL of the Scalora HTTP API")
	f.DurationVar(&o.cfg.Interval, "interval", 10*time.Second, "time between two CPU readings")
	f.StringVar(&o.cfg.Group, "group", "", "group of this host (default: the pipeline's default group)")
	f.StringVar(&o.cfg.Host, "host", "", "host name of the samples (default: this machine's host name)")
	f.IntVar(&o.cfg.BufferSize, "buffer", 10000, "samples kept while the destination is down")
	f.StringVar(&o.metricsAddr, "metrics-addr", "", "serve Prometheus metrics on this address, e.g. :9101 (default off)")
	f.StringVar(&o.logLevel, "log-level", "info", "debug, info, warn or error")
	return cmd
}

func runAgentCmd(ctx context.Context, o agentOptions) error {
	if (len(o.brokers) == 0) == (o.endpoint == "") {
		return fmt.Errorf("agent: %w (--kafka or --endpoint)", agent.ErrNoDestination)
	}
	if o.cfg.Interval <= 0 {
		return fmt.Errorf("--interval %s must be positive", o.cfg.Interval)
	}
	log, err := newLogger(o.logLevel, false)
	if err != nil {
		return err
	}

	var send agent.Sender
	if o.endpoint != "" {
		send = &agent.HTTPSender{
			Endpoint: o.endpoint,
			APIKey:   os.Getenv("SCALORA_API_KEY"),
			Client:   &http.Client{Timeout: 30 * time.Second},
		}
	} else {
		pub, err := kafka.NewPublisher(kafka.PublisherConfig{
			Config: kafka.Config{Brokers: o.brokers, ClientID: "scalora-agent"},
			// A send to a dead broker fails after this and is retried from
			// the buffer; it also bounds how long stopping waits for it.
			ProduceTimeout: 10 * time.Second,
		}, log, nil)
		if err != nil {
			return fmt.Errorf("agent: %w", err)
		}
		defer pub.Close()
		send = &agent.KafkaSender{Publisher: pub, Topic: o.topic}
	}

	reg := prometheus.NewRegistry()
	a, err := agent.New(o.cfg, send, log, reg)
	if err != nil {
		return err
	}
	if o.metricsAddr != "" {
		stop := serveMetrics(o.metricsAddr, reg, log)
		defer stop()
	}
	return a.Run(ctx)
}

// serveMetrics serves reg on addr until the returned function is called.
func serveMetrics(addr string, reg *prometheus.Registry, log *slog.Logger) func() {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Warn("metrics server failed", "err", err)
		}
	}()
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}
}
