package main

import (
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/scalora/scalora/pipeline/app"
)

type runOptions struct {
	config   string
	step     time.Duration
	dataDir  string
	httpAddr string
	logLevel string
	logJSON  bool
}

func newRunCmd() *cobra.Command {
	var o runOptions
	cmd := &cobra.Command{
		Use:   "run [--config FILE]",
		Short: "Run the pipeline until interrupted",
		Long: `Run the pipeline: consume CPU samples, forecast, score, decide, price and
store, until SIGINT or SIGTERM. The first signal flushes pending results and
commits within shutdown_timeout; a second one exits at once.

Without --config it runs on the embedded default: an in-process Kafka and
the embedded ClickHouse engine, both persisted under --data-dir. The broker
address is logged at start; send samples to it with "scalora produce".
With --config it uses the Kafka and ClickHouse the file names (see
deploy/scalora.example.yaml).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRun(cmd, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.config, "config", "", "YAML configuration file (default: embedded Kafka and chDB)")
	f.StringVar(&o.dataDir, "data-dir", "", "data folder, overriding data_dir of the config (default scalora-data)")
	f.DurationVar(&o.step, "step", 0, "window step, overriding window.step of the config (default 1m; 5m for 5-minute traces)")
	f.StringVar(&o.httpAddr, "http", "", `health and metrics address, overriding http.addr ("off" disables)`)
	f.StringVar(&o.logLevel, "log-level", "info", "debug, info, warn or error")
	f.BoolVar(&o.logJSON, "log-json", false, "log JSON lines instead of text")
	return cmd
}

func runRun(cmd *cobra.Command, o runOptions) error {
	log, err := newLogger(o.logLevel, o.logJSON)
	if err != nil {
		return err
	}

	cfg, err := runConfig(o)
	if err != nil {
		return err
	}
	a, err := app.New(cmd.Context(), cfg, log)
	if err != nil {
		return err
	}
	return a.Run(cmd.Context())
}

// runConfig is the configuration run starts with: the file's (or the
// embedded default), the flags' overrides applied before the defaults are
// filled, so that the settings that default to one window step follow
// --step.
func runConfig(o runOptions) (app.Config, error) {
	var cfg app.Config
	if o.config != "" {
		var err error
		if cfg, err = app.Read(o.config); err != nil {
			return cfg, err
		}
	}
	if o.dataDir != "" {
		cfg.DataDir = o.dataDir
		cfg.Store.Path = ""
	}
	if o.httpAddr != "" {
		cfg.HTTP.Addr = o.httpAddr
	}
	if o.step != 0 {
		cfg.Window.Step, cfg.Decision.Step = o.step, o.step
	}

	return cfg, cfg.Finish(o.config)
}

func newLogger(level string, json bool) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(level))); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: l}
	if json {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts)), nil
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts)), nil
}
