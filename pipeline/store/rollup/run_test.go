package rollup_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/scalora/scalora/pipeline/store/rollup"
)

func TestConfigDefaultsAndValidate(t *testing.T) {
	var c rollup.Config
	c.SetDefaults()
	if c.Every != rollup.DefaultEvery || c.Lookback != rollup.DefaultLookback {
		t.Fatalf("defaults %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []rollup.Config{{Every: -time.Second, Lookback: time.Hour}, {Every: time.Hour, Lookback: time.Minute}} {
		if err := bad.Validate(); err == nil {
			t.Errorf("%+v was accepted", bad)
		}
	}
}

func TestRunRefreshesUntilCancelled(t *testing.T) {
	s := openCHDB(t)
	write(t, s, steps())

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	cfg := rollup.Config{Every: 20 * time.Millisecond, Lookback: 72 * time.Hour}
	go func() { done <- rollup.Run(ctx, s, "rollup", cfg, slog.New(slog.NewTextHandler(io.Discard, nil))) }()

	deadline := time.Now().Add(30 * time.Second)
	for {
		got := rows(t, s, "SELECT count() FROM steps_daily_store FINAL")
		if got[0] == "2" {
			break
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("no daily rollups stored after 30s (count %v)", got)
		}
		time.Sleep(20 * time.Millisecond)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run returned %v after cancel, want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("run did not return after cancel")
	}
	check(t, "steps_hourly_store FINAL",
		rows(t, s, "SELECT "+hourlyCols+" FROM steps_hourly_store FINAL ORDER BY host, hour"), wantHourly)
}

func TestRunRefusesAnInvalidConfig(t *testing.T) {
	err := rollup.Run(context.Background(), nil, "rollup", rollup.Config{Every: time.Hour, Lookback: time.Minute}, nil)
	if err == nil {
		t.Fatal("run accepted a lookback shorter than its period")
	}
}
