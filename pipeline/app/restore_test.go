package app

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/scalora/scalora/stages/forecast"
)

// TestRestartedProcessForecastsOnTheNextStep: a host with a full window
// before a restart gets an LSTM forecast for the first step that closes
// after it, from the window state read back from the store, instead of
// waiting 24 new steps.
func TestRestartedProcessForecastsOnTheNextStep(t *testing.T) {
	requireCHDB(t)
	dir := t.TempDir()
	start := time.Now().Add(-2 * time.Hour).Truncate(time.Minute)

	a, stop := startApp(t, dir)
	publish(t, a, sampleMsgs("h1", start, 30)...)
	waitProcessed(t, a, 30)
	stop()

	a, stop = startApp(t, dir)
	defer stop()

	// Samples 30 and 31: with a lateness of one step, sample 31 closes
	// step 29, the first step closed after the restart.
	more := sampleMsgs("h1", start, 32)[30:]
	publish(t, a, more...)
	waitProcessed(t, a, 2)
	if err := a.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}

	step29 := start.Add(29 * time.Minute).UTC().Format("2006-01-02 15:04:05")
	q := "SELECT count() FROM scalora.forecasts FINAL WHERE host = 'h1' AND horizon = 1 AND ready " +
		"AND model = 'lstm-h32-v1+blend' AND ts = toDateTime64('" + step29 + "', 3, 'UTC')"
	if n := count(t, a, q); n != 1 {
		t.Fatalf("%d LSTM forecasts for the first step closed after the restart, want 1", n)
	}
	if n := count(t, a, "SELECT count() FROM scalora.host_state FINAL WHERE host = 'h1'"); n != 1 {
		t.Errorf("%d stored states of h1, want 1", n)
	}
	if n := count(t, a, "SELECT count() FROM scalora.steps FINAL WHERE host = 'h1'"); n != 30 {
		t.Errorf("%d steps of h1, want 30 (0..29), each once", n)
	}
}

// TestDuplicateAndLateSamplesAreCountedPerHost: an exact duplicate is
// dropped and counted, a late sample dead-lettered and counted, both in the
// host's live status and in the metrics.
func TestDuplicateAndLateSamplesAreCountedPerHost(t *testing.T) {
	requireCHDB(t)
	a, stop := startApp(t, t.TempDir())
	defer stop()

	start := time.Now().Add(-time.Hour).Truncate(time.Minute)
	msgs := sampleMsgs("h1", start, 10)
	dup := sampleMsgs("h1", start, 10)[9]                   // the last sample again
	late := sampleMsgs("h1", start.Add(-time.Second), 3)[2] // step 1, closed by then
	publish(t, a, append(msgs, dup, late)...)
	waitProcessed(t, a, 12)

	h, ok := a.Live().Host("h1")
	if !ok || h.DuplicateSamples != 1 || h.LateSamples != 1 {
		t.Fatalf("live status of h1: %+v, want one duplicate and one late sample", h)
	}
	mfs, err := a.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				found[mf.GetName()+"/"+l.GetValue()] = m.GetCounter().GetValue()
			}
		}
	}
	if found["scalora_samples_dropped_total/duplicate"] != 1 || found["scalora_samples_rejected_total/late"] != 1 {
		t.Errorf("dropped duplicate = %v, rejected late = %v; want 1 and 1",
			found["scalora_samples_dropped_total/duplicate"], found["scalora_samples_rejected_total/late"])
	}
}

// TestIdleHostsLastStepsCloseWithIdleTimeout: with window.idle_timeout a
// host that stops sending gets its open steps closed and stored.
func TestIdleHostsLastStepsCloseWithIdleTimeout(t *testing.T) {
	requireCHDB(t)
	var c Config
	c.DataDir = t.TempDir()
	c.HTTP.Addr = "off"
	c.Kafka.EmbeddedPort = -1
	c.Kafka.CommitInterval = 100 * time.Millisecond
	c.Window.IdleTimeout = 400 * time.Millisecond
	a, err := New(t.Context(), c, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	ctx, cancel := context.WithCancel(t.Context())
	go func() { done <- a.Run(ctx) }()
	defer func() {
		cancel()
		<-done
	}()

	publish(t, a, sampleMsgs("h1", time.Now().Add(-time.Hour).Truncate(time.Minute), 10)...)
	waitProcessed(t, a, 10)
	deadline := time.Now().Add(10 * time.Second)
	for {
		if err := a.Flush(t.Context()); err != nil {
			t.Fatal(err)
		}
		n := count(t, a, "SELECT count() FROM scalora.steps FINAL WHERE host = 'h1'")
		if n == 10 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d steps stored, want all 10 once h1 went idle", n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestOneStepErrorsAreStoredAndLive: every closed step after the first is
// compared with the one-step forecast made before it; the stored error
// matches the stored forecast and step, and the live status carries it.
func TestOneStepErrorsAreStoredAndLive(t *testing.T) {
	requireCHDB(t)
	a, stop := startApp(t, t.TempDir())
	defer stop()

	publish(t, a, sampleMsgs("h1", time.Now().Add(-time.Hour).Truncate(time.Minute), 40)...)
	waitProcessed(t, a, 40)
	if err := a.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}

	// 38 steps closed (the last two stay open); all but the first judged.
	if n := count(t, a, "SELECT count() FROM scalora.forecast_errors FINAL WHERE host = 'h1' AND horizon = 1"); n != 37 {
		t.Fatalf("%d one-step errors stored, want 37", n)
	}
	q := `SELECT count() FROM scalora.forecast_errors AS e FINAL
		JOIN (SELECT host, ts, value FROM scalora.forecasts FINAL WHERE horizon = 1) AS f
		  ON f.host = e.host AND f.ts = e.ts - INTERVAL 1 MINUTE
		JOIN (SELECT host, ts, cpu FROM scalora.steps FINAL) AS s ON s.host = e.host AND s.ts = e.ts
		WHERE abs(e.forecast - f.value) < 1e-9 AND abs(e.actual - s.cpu) < 1e-9 AND abs(e.abs_error - abs(s.cpu - f.value)) < 1e-9`
	if n := count(t, a, q); n != 37 {
		t.Errorf("%d of 37 stored errors agree with the stored forecasts and steps", n)
	}

	h, ok := a.Live().Host("h1")
	if !ok || h.ForecastErrors != 37 || h.ForecastMAE1 <= 0 {
		t.Errorf("live status of h1: %d errors, rolling MAE %v; want 37 and a positive MAE", h.ForecastErrors, h.ForecastMAE1)
	}
}

// TestRestartedProcessForecastsAsAnUninterruptedOne: the forecast stage's
// per-host blend travels with the window state, so the first forecast
// after a restart is the one an uninterrupted process makes, blend and
// all, not the model's own.
func TestRestartedProcessForecastsAsAnUninterruptedOne(t *testing.T) {
	requireCHDB(t)
	start := time.Now().Add(-2 * time.Hour).Truncate(time.Minute)
	step29 := start.Add(29 * time.Minute).UTC().Format("2006-01-02 15:04:05")
	q := "SELECT value FROM scalora.forecasts FINAL WHERE host = 'h1' AND ts = toDateTime64('" + step29 +
		"', 3, 'UTC') ORDER BY horizon"
	values := func(a *App) []float64 {
		t.Helper()
		if err := a.Flush(t.Context()); err != nil {
			t.Fatal(err)
		}
		res, err := a.Store().Query(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		var out []float64
		for _, r := range res.Rows {
			var v float64
			fmt.Sscan(fmt.Sprint(r[0]), &v)
			out = append(out, v)
		}
		if len(out) != 12 {
			t.Fatalf("%d forecast values for step 29, want 12", len(out))
		}
		return out
	}

	a, stop := startApp(t, t.TempDir())
	publish(t, a, sampleMsgs("h1", start, 32)...)
	waitProcessed(t, a, 32)
	want := values(a)
	stop()

	dir := t.TempDir()
	a, stop = startApp(t, dir)
	publish(t, a, sampleMsgs("h1", start, 30)...)
	waitProcessed(t, a, 30)
	stop()
	a, stop = startApp(t, dir)
	defer stop()
	publish(t, a, sampleMsgs("h1", start, 32)[30:]...)
	waitProcessed(t, a, 2)
	got := values(a)

	for h := range want {
		if math.Abs(got[h]-want[h]) > 1e-9 {
			t.Fatalf("h%d: restarted %v, uninterrupted %v", h+1, got, want)
		}
	}

	// The blend is at work at step 29: the model's own forecast from the
	// same window differs somewhere.
	m, err := forecast.DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	window := make([]float64, forecast.InputSize)
	for i := range window {
		window[i] = float64(20 + (6+i)%7) // samples 6..29, as sampleMsgs makes them
	}
	own := make([]float64, 12)
	m.Predict(window, own)
	if slices.EqualFunc(own, want, func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }) {
		t.Error("the blended forecast equals the model's own: the test shows nothing")
	}
}
