package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/scalora/scalora/schemas/trace"
	"github.com/scalora/scalora/stages/forecast"
)

type trainOptions struct {
	data     []string
	bundled  bool
	out      string
	cfg      forecast.TrainConfig
	progress bool
	trace    trace.Options
}

func newTrainCmd() *cobra.Command {
	var o trainOptions
	def := forecast.DefaultTrainConfig()
	cmd := &cobra.Command{
		Use:   "train (--data PATH... | --bundled) --out FILE",
		Short: "Train the LSTM forecaster on CPU traces and write a model file",
		Long: `Train the LSTM forecaster (gorgonia) on CPU traces (NAB-style CSV or
Bitbrains) and write
a model file that "scalora run" loads with forecast.model in its config.

Each trace is aligned to --step-seconds; its last --validation fraction is
held out for early stopping (a split by time: no look-ahead). Training is
seeded and reproducible. --bundled trains on the NAB traces built into the
binary, which is how the default model was made.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runTrain(cmd, o)
		},
	}
	f := cmd.Flags()
	addTraceFlags(f, &o.trace)
	f.StringSliceVar(&o.data, "data", nil, "trace files to train on (repeat or comma-separate)")
	f.BoolVar(&o.bundled, "bundled", false, "train on the NAB traces built into the binary")
	f.StringVar(&o.out, "out", "", "model file to write (required)")
	f.Int64Var(&o.cfg.StepSeconds, "step-seconds", def.StepSeconds, "step the traces are aligned to")
	f.IntVar(&o.cfg.Hidden, "hidden", def.Hidden, "LSTM units")
	f.IntVar(&o.cfg.Horizon, "horizon", def.Horizon, "steps forecast in one pass")
	f.IntVar(&o.cfg.Epochs, "epochs", def.Epochs, "maximum epochs")
	f.IntVar(&o.cfg.BatchSize, "batch", def.BatchSize, "windows per optimiser step")
	f.Float64Var(&o.cfg.LearningRate, "learning-rate", def.LearningRate, "Adam step size")
	f.Uint64Var(&o.cfg.Seed, "seed", def.Seed, "seed of weight initialisation and shuffling")
	f.Float64Var(&o.cfg.ValidationFraction, "validation", def.ValidationFraction, "tail fraction of each trace held out")
	f.IntVar(&o.cfg.Patience, "patience", def.Patience, "epochs without improvement before stopping")
	f.IntVar(&o.cfg.Stride, "stride", def.Stride, "steps between training windows")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func runTrain(cmd *cobra.Command, o trainOptions) error {
	if (len(o.data) == 0) == !o.bundled {
		return fmt.Errorf("give either --data PATH... or --bundled")
	}

	// A redrawn bar is noise in a log file; off a terminal only the
	// per-epoch lines are kept.
	progress := progressWriter(cmd.ErrOrStderr())
	var (
		m   *forecast.Model
		err error
	)
	if o.bundled {
		ts, lerr := forecast.BundledTraces()
		if lerr != nil {
			return lerr
		}
		m, err = forecast.TrainFromTraces(cmd.Context(), o.cfg, ts, progress)
	} else {
		m, err = forecast.TrainFromFiles(cmd.Context(), o.cfg, o.data, o.trace, progress)
	}
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}

	if err := m.Save(o.out); err != nil {
		return err
	}
	info, err := os.Stat(o.out)
	if err != nil {
		return fmt.Errorf("model written but unreadable: %w", err)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "wrote %s (%s, %d bytes)\n", o.out, m.Name(), info.Size())
	return nil
}
