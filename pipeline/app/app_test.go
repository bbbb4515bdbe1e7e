package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/scalora/scalora/pipeline/kafka"
	"github.com/scalora/scalora/pipeline/store/libchdb"
	"github.com/scalora/scalora/schemas"
)

func requireCHDB(t *testing.T) {
	t.Helper()
	if err := libchdb.Available(); err != nil {
		if os.Getenv("SCALORA_REQUIRE_CHDB") == "1" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
}

// startApp builds and runs an App on the embedded default in dir.
func startApp(t *testing.T, dir string) (*App, func()) {
	t.Helper()
	var c Config
	c.DataDir = dir
	c.HTTP.Addr = "127.0.0.1:0"
	c.Kafka.EmbeddedPort = -1
	c.Kafka.CommitInterval = 100 * time.Millisecond

	a, err := New(context.Background(), c, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	return a, func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	}
}

func publish(t *testing.T, a *App, msgs ...*message.Message) {
	t.Helper()
	pub, err := kafka.NewPublisher(kafka.PublisherConfig{Config: kafka.Config{Brokers: a.Brokers()}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	if err := pub.Publish(a.Config().Topics.Samples, msgs...); err != nil {
		t.Fatal(err)
	}
}

func sampleMsgs(host string, start time.Time, n int) []*message.Message {
	var out []*message.Message
	for i := range n {
		s := schemas.Sample{Version: 1, Host: host, Group: "g", Time: start.Add(time.Duration(i) * time.Minute), CPU: float64(20 + i%7)}
		payload, _ := json.Marshal(s)
		m := message.NewMessage(fmt.Sprintf("%s-%d", host, i), payload)
		m.Metadata.Set(kafka.KeyMetadata, host)
		out = append(out, m)
	}
	return out
}

func waitProcessed(t *testing.T, a *App, n int64) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for a.Processed() < n {
		if time.Now().After(deadline) {
			t.Fatalf("processed %d of %d samples", a.Processed(), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func count(t *testing.T, a *App, q string) int {
	t.Helper()
	res, err := a.Store().Query(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	fmt.Sscan(fmt.Sprint(res.Rows[0][0]), &n)
	return n
}

func TestEmbeddedDefaultRunsThePipelineAndServesHealth(t *testing.T) {
	requireCHDB(t)
	a, stop := startApp(t, t.TempDir())
	defer stop()

	start := time.Now().Add(-time.Hour).Truncate(time.Minute)
	publish(t, a, sampleMsgs("h1", start, 40)...)
	publish(t, a, sampleMsgs("h2", start, 40)...)
	waitProcessed(t, a, 80)
	if err := a.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}

	if n := count(t, a, "SELECT count() FROM scalora.steps FINAL"); n != 76 {
		t.Errorf("%d steps stored, want 2 hosts x 38 closed steps (the last two stay open: lateness one step)", n)
	}
	if n := count(t, a, "SELECT countIf(model = 'lstm-h32-v1+blend') FROM scalora.forecasts FINAL WHERE horizon = 1"); n != 2*(38-23) {
		t.Errorf("%d LSTM forecasts, want one per full window (2 x 15)", n)
	}
	if n := count(t, a, "SELECT count() FROM scalora.decisions FINAL"); n != 38 {
		t.Errorf("%d decisions, want one per group step (38)", n)
	}
	if h, ok := a.Live().Host("h1"); !ok || !h.Ready || len(h.Forecast) != 12 {
		t.Errorf("live status of h1: %+v", h)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	addr := a.HTTPAddr(ctx)
	for path, want := range map[string]string{
		"/healthz": "ok",
		"/readyz":  "ready",
		"/metrics": "scalora_stage_records_total",
	} {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("GET %s: %d %q", path, resp.StatusCode, body)
		}
	}
}

func TestEmbeddedDefaultKeepsItsDataAndOffsetsAcrossARestart(t *testing.T) {
	requireCHDB(t)
	dir := t.TempDir()

	a, stop := startApp(t, dir)
	publish(t, a, sampleMsgs("h1", time.Now().Add(-time.Hour).Truncate(time.Minute), 30)...)
	waitProcessed(t, a, 30)
	stop() // flushes and commits

	a, stop = startApp(t, dir)
	defer stop()
	time.Sleep(time.Second) // time to redeliver, if offsets had been lost
	if p := a.Processed(); p != 0 {
		t.Errorf("after a clean restart %d samples were processed again; committed offsets were lost", p)
	}
	if n := count(t, a, "SELECT count() FROM scalora.steps FINAL"); n != 28 {
		t.Errorf("%d steps after restart, want the 28 stored before it", n)
	}
}

// Regression: a failing New deferred closeAll on the nil *App it was about
// to return, so every start-up error (no libchdb, a missing model file, an
// unreachable store) became a nil-pointer panic, and with chDB already open
// the process then hung and ignored SIGTERM.
func TestStartupErrorIsReturnedAndReleasesWhatWasOpened(t *testing.T) {
	requireCHDB(t)
	dir := t.TempDir()

	var c Config
	c.DataDir = dir
	c.HTTP.Addr = "off"
	c.Kafka.EmbeddedPort = -1
	c.Forecast.Model = dir + "/no-such-model.json"
	_, err := New(context.Background(), c, slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), "no-such-model.json") {
		t.Fatalf("err = %v, want one naming the missing model", err)
	}

	// The store and the embedded broker were closed: the folder opens again.
	a, stop := startApp(t, dir)
	defer stop()
	if a.Processed() != 0 {
		t.Fatal("fresh app processed samples")
	}
}
