package forecast

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/scalora/scalora/cmd/scalora/traces"
	"github.com/scalora/scalora/schemas/trace"
)

// AlignTrace turns a trace into one value per step, oldest first, steps
// counted from the first reading: each reading goes to the step nearest its
// time (so seconds of jitter, as in Bitbrains, do not shift readings by a
// step), the last reading of a step wins, and a step without readings
// repeats the previous step's value (as the windower fills gaps). step must
// be positive.
func AlignTrace(s *trace.Series, step time.Duration) []float64 {
	if len(s.Points) == 0 || step <= 0 {
		return nil
	}
	start := s.Points[0].Time
	slot := func(t time.Time) int { return int((t.Sub(start) + step/2) / step) }
	out := make([]float64, slot(s.Points[len(s.Points)-1].Time)+1)
	seen := make([]bool, len(out))

	for _, p := range s.Points {
		i := slot(p.Time)
		out[i], seen[i] = p.CPU, true
	}
	for i := 1; i < len(out); i++ {
		if !seen[i] {
			out[i] = out[i-1]
		}
	}
	return out
}

// TrainFromTraces aligns each trace to cfg.StepSeconds (default 300), names
// the series after the traces, takes their starts from their first
// readings and trains on them (see Train).
func TrainFromTraces(ctx context.Context, cfg TrainConfig, ts []*trace.Series, progress io.Writer) (*Model, error) {
	cfg.SetDefaults()
	step := time.Duration(cfg.StepSeconds) * time.Second
	cfg.Series, cfg.Names, cfg.Starts = nil, nil, nil
	for _, s := range ts {
		cfg.Series = append(cfg.Series, AlignTrace(s, step))
		cfg.Names = append(cfg.Names, s.Name)
		var start time.Time
		if len(s.Points) > 0 {
			start = s.Points[0].Time
		}
		cfg.Starts = append(cfg.Starts, start)
	}
	return Train(ctx, cfg, progress)
}

// TrainFromFiles reads traces in any supported format (see trace.ReadAny;
// opts choose a generic CSV's columns) and trains on them with
// TrainFromTraces.
func TrainFromFiles(ctx context.Context, cfg TrainConfig, paths []string, opts trace.Options, progress io.Writer) (*Model, error) {
	var ts []*trace.Series
	for _, p := range paths {
		s, err := trace.ReadAnyWith(p, opts)
		if err != nil {
			return nil, fmt.Errorf("train from files: %w", err)
		}
		ts = append(ts, s)
	}
	return TrainFromTraces(ctx, cfg, ts, progress)
}

// BundledTraces loads every NAB CPU trace bundled in the binary (package
// cmd/scalora/traces), the data the default model is trained on.
func BundledTraces() ([]*trace.Series, error) {
	var ts []*trace.Series
	for _, name := range traces.Names() {
		s, err := traces.Load(name)
		if err != nil {
			return nil, fmt.Errorf("bundled traces: %w", err)
		}
		ts = append(ts, s)
	}
	return ts, nil
}
