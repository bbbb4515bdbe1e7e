package integration

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/scalora/scalora/pipeline/app"
)

// startPipeline builds the pipeline from cfg and runs it until the
// returned stop is called; stop fails the test if the run ended in error.
func startPipeline(t *testing.T, ctx context.Context, cfg app.Config) (*app.App, func()) {
	a, stop, _ := startPipelineWatched(t, ctx, cfg)
	return a, stop
}

// startPipelineWatched is startPipeline that also returns a channel which
// receives the run's result if it ends before stop.
func startPipelineWatched(t *testing.T, ctx context.Context, cfg app.Config) (*app.App, func(), <-chan error) {
	t.Helper()
	a, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}

	runCtx, cancel := context.WithCancel(ctx)
	result := make(chan error, 1)
	ended := make(chan error, 1)
	go func() {
		err := a.Run(runCtx)
		result <- err
		ended <- err
	}()

	return a, func() {
		t.Helper()
		cancel()
		if err := <-result; err != nil {
			t.Fatalf("run: %v", err)
		}
	}, ended
}
