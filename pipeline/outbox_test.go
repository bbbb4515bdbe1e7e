package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/scalora/scalora/pipeline/kafka"
	"github.com/scalora/scalora/pipeline/store"
	"github.com/scalora/scalora/pipeline/store/chdbstore"
	"github.com/scalora/scalora/pipeline/store/libchdb"
	"github.com/scalora/scalora/schemas"
)

// faultyStore is the real chDB store with a switch that makes Write fail,
// as a store that is down does. Only the fault is injected; the SQL runs on
// the real engine.
type faultyStore struct {
	store.Store
	down atomic.Bool
}

var errStoreDown = errors.New("store down (injected)")

func (s *faultyStore) Write(ctx context.Context, b *store.Batch) error {
	if s.down.Load() {
		return errStoreDown
	}
	return s.Store.Write(ctx, b)
}

type outboxEnv struct {
	store  *faultyStore
	outbox *Outbox
	emb    *kafka.Embedded
	topics Topics
}

func newOutboxEnv(t *testing.T, cfg OutboxConfig) *outboxEnv {
	t.Helper()
	if err := libchdb.Available(); err != nil {
		if os.Getenv("SCALORA_REQUIRE_CHDB") == "1" {
			t.Fatal(err)
		}
		t.Skip(err)
	}

	st, err := chdbstore.Open(chdbstore.Config{Path: filepath.Join(t.TempDir(), "chdb")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}

	var topics Topics
	topics.SetDefaults()
	emb, err := kafka.NewEmbedded(t.TempDir(), 1, topics.All()...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emb.Close)
	pub, err := kafka.NewPublisher(kafka.PublisherConfig{Config: kafka.Config{Brokers: emb.Addrs()}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pub.Close() })

	fs := &faultyStore{Store: st}
	o, err := NewOutbox(cfg, fs, pub, topics, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		t.Fatal(err)
	}
	return &outboxEnv{store: fs, outbox: o, emb: emb, topics: topics}
}

// stepBatch is one closed step of host h at minute i: a step, a forecast,
// an anomaly (anomalous when i is odd), a decision and a cost.
func stepBatch(h string, i int) *store.Batch {
	ts := time.Date(2026, 12, 3, 10, i, 0, 0, time.UTC)
	return &store.Batch{
		Steps:     []schemas.Step{{Host: h, Group: "g", Time: ts, CPU: 10, Samples: 1}},
		Forecasts: []schemas.Forecast{{Host: h, Group: "g", Time: ts, StepSeconds: 60, Values: []float64{11, 12}, Model: "m", Ready: true}},
		Anomalies: []schemas.Anomaly{{Host: h, Group: "g", Time: ts, Score: 0.7, Anomalous: i%2 == 1, Kind: "spike"}},
		Decisions: []schemas.Decision{{Group: "g", Time: ts, Action: schemas.ActionMaintain, Current: 2, Target: 2, Reason: "r"}},
		Costs:     []schemas.Cost{{Group: "g", Time: ts, StaticInstances: 3, DecidedInstances: 2, Savings: 0.01}},
	}
}

func (e *outboxEnv) count(t *testing.T, table string) int64 {
	t.Helper()
	res, err := e.store.Query(context.Background(), "SELECT count() FROM scalora."+table+" FINAL")
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	if _, err := fmt.Sscan(fmt.Sprint(res.Rows[0][0]), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// records reads every record of topic.
func (e *outboxEnv) records(t *testing.T, topic string, want int) []*kgo.Record {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(e.emb.Addrs()...), kgo.ConsumeTopics(topic))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	var out []*kgo.Record
	for len(out) < want && ctx.Err() == nil {
		out = append(out, cl.PollFetches(ctx).Records()...)
	}
	return out
}

func TestOutboxWritesTheStoreAndTheTopics(t *testing.T) {
	e := newOutboxEnv(t, OutboxConfig{})
	ctx := context.Background()

	for i := range 2 {
		if err := e.outbox.Add(ctx, stepBatch("web-1", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.outbox.Flush(ctx); err != nil {
		t.Fatal(err)
	}

	for _, table := range []string{"steps", "anomalies", "decisions", "costs"} {
		if n := e.count(t, table); n != 2 {
			t.Errorf("%s holds %d rows, want 2", table, n)
		}
	}
	if n := e.count(t, "forecasts"); n != 4 {
		t.Errorf("forecasts holds %d rows, want 2 steps x 2 horizons", n)
	}

	fc := e.records(t, e.topics.Forecasts, 2)
	if len(fc) != 2 || string(fc[0].Key) != "web-1" {
		t.Fatalf("forecasts topic: %d records, first key %q", len(fc), fc[0].Key)
	}
	if an := e.records(t, e.topics.Anomalies, 1); len(an) != 1 {
		t.Errorf("anomalies topic holds %d records, want only the 1 anomalous window", len(an))
	}
	if dc := e.records(t, e.topics.Decisions, 2); len(dc) != 2 || string(dc[0].Key) != "g" {
		t.Errorf("decisions topic: %d records keyed %q, want 2 keyed by group", len(dc), dc[0].Key)
	}
	if e.outbox.Pending() != 0 {
		t.Errorf("%d records still pending after a flush", e.outbox.Pending())
	}
}

func TestOutboxKeepsItsRowsWhileTheStoreIsDown(t *testing.T) {
	e := newOutboxEnv(t, OutboxConfig{})
	ctx := context.Background()

	e.store.down.Store(true)
	if err := e.outbox.Add(ctx, stepBatch("web-1", 0)); err != nil {
		t.Fatal(err)
	}
	if err := e.outbox.Flush(ctx); !errors.Is(err, errStoreDown) {
		t.Fatalf("flush while down: err = %v", err)
	}
	if err := e.outbox.Add(ctx, stepBatch("web-1", 1)); err != nil {
		t.Fatal(err)
	}
	if p := e.outbox.Pending(); p != 2*5 {
		t.Fatalf("%d records pending, want both steps' 10 records", p)
	}

	e.store.down.Store(false)
	if err := e.outbox.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if n := e.count(t, "steps"); n != 2 {
		t.Fatalf("steps holds %d rows after recovery, want 2", n)
	}
}

func TestOutboxFullBlocksAddUntilTheStoreRecovers(t *testing.T) {
	e := newOutboxEnv(t, OutboxConfig{FlushRows: 5, MaxPendingRows: 10})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	e.store.down.Store(true)
	for i := range 2 {
		if err := e.outbox.Add(ctx, stepBatch("web-1", i)); err != nil {
			t.Fatalf("under the cap before it, a failed write must not fail Add: %v", err)
		}
	}

	// Ten rows pending: the next Add waits before taking its input.
	returned := make(chan error, 1)
	go func() { returned <- e.outbox.Add(ctx, stepBatch("web-1", 2)) }()
	select {
	case err := <-returned:
		t.Fatalf("Add returned (%v) while the outbox was full and the store down", err)
	case <-time.After(300 * time.Millisecond):
	}

	e.store.down.Store(false)
	if err := <-returned; err != nil {
		t.Fatal(err)
	}
	if err := e.outbox.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if n := e.count(t, "steps"); n != 3 {
		t.Fatalf("steps holds %d rows, want 3", n)
	}
}

func TestOutboxDropsRowsTheStoreCannotHoldAndWritesTheRest(t *testing.T) {
	e := newOutboxEnv(t, OutboxConfig{})
	ctx := context.Background()

	bad := stepBatch("web-1", 0)
	bad.Steps[0].Time = time.Date(1850, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := e.outbox.Add(ctx, bad); err != nil {
		t.Fatal(err)
	}
	if err := e.outbox.Add(ctx, stepBatch("web-2", 1)); err != nil {
		t.Fatal(err)
	}
	if err := e.outbox.Flush(ctx); err != nil {
		t.Fatalf("one unstorable row must not fail the flush: %v", err)
	}
	if n := e.count(t, "steps"); n != 1 {
		t.Fatalf("steps holds %d rows, want only web-2's", n)
	}
}
