package forecast

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/scalora/scalora/cmd/scalora/traces"
	"github.com/scalora/scalora/schemas/trace"
)

// AlignTrace turns a trace into one value per step, oldest first: each
// step takes the last reading at or before its start, so gaps repeat the
// previous value (as the windower fills them) and extra readings inside a
// step are dropped. step must be positive.
func AlignTrace(s *trace.Series, step time.Duration) []float64 {
	if len(s.Points) == 0 || step <= 0 {
		return nil
	}
	start := s.Points[0].Time
	n := int(s.Points[len(s.Points)-1].Time.Sub(start)/step) + 1
	out := make([]float64, n)

	j := 0
	for i := range out {
		at := start.Add(time.Duration(i) * step)
		for j+1 < len(s.Points) && !s.Points[j+1].Time.After(at) {
			j++
		}
		out[i] = s.Points[j].CPU
	}
	return out
}

// TrainFromTraces aligns each trace to cfg.StepSeconds (default 300), names
// the series after the traces and trains on them (see Train).
func TrainFromTraces(ctx context.Context, cfg TrainConfig, ts []*trace.Series, progress io.Writer) (*Model, error) {
	cfg.SetDefaults()
	step := time.Duration(cfg.StepSeconds) * time.Second
	cfg.Series, cfg.Names = nil, nil
	for _, s := range ts {
		cfg.Series = append(cfg.Series, AlignTrace(s, step))
		cfg.Names = append(cfg.Names, s.Name)
	}
	return Train(ctx, cfg, progress)
}

// TrainFromFiles reads NAB-style CSV traces (see trace.ReadFile) and trains
// on them with TrainFromTraces.
func TrainFromFiles(ctx context.Context, cfg TrainConfig, paths []string, progress io.Writer) (*Model, error) {
	var ts []*trace.Series
	for _, p := range paths {
		s, err := trace.ReadFile(p)
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
