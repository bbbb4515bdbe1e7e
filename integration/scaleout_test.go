package integration

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scalora/scalora/pipeline/app"
	"github.com/scalora/scalora/pipeline/store"
)

// crashableStore is the real store with a switch that makes every write
// fail, as if the process had died: what it held in memory never reaches
// the store, and its offsets are never committed again.
type crashableStore struct {
	store.Store
	dead atomic.Bool
}

var errCrashed = errors.New("instance crashed (injected)")

func (s *crashableStore) Write(ctx context.Context, b *store.Batch) error {
	if s.dead.Load() {
		return errCrashed
	}
	return s.Store.Write(ctx, b)
}

// member is one pipeline instance of the scale-out test.
type member struct {
	name  string
	app   *app.App
	st    *crashableStore
	stop  context.CancelFunc
	ended chan error
}

// TestScaleOutMovesHostsWithTheirState runs three pipeline instances in
// one consumer group on the real broker, sharing one chDB store. Mid-run
// one of them crashes (its writes and commits stop, it drops out of the
// group) and a fourth joins. Every (host, step) is then stored once with
// the value one uninterrupted windowing gives, every step has its 12
// forecasts, and no host on a moved partition falls back to the not-ready
// forecast: its window moved with it.
func TestScaleOutMovesHostsWithTheirState(t *testing.T) {
	brokers := kafkaBrokers(t)
	requireCHDB(t)
	if testing.Short() {
		t.Skip("scale-out test: about a minute")
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 9))

	cfg := testConfig(t, brokers)
	cfg.Kafka.Partitions = 6
	cfg.Kafka.SessionTimeout = 6 * time.Second
	cfg.ShutdownTimeout = 5 * time.Second
	stream := buildKillStream(t, rng)

	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	start := func(name string) *member {
		m := &member{name: name, ended: make(chan error, 1)}
		a, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)),
			app.WithStoreWrapper(func(st store.Store) store.Store {
				m.st = &crashableStore{Store: st}
				return m.st
			}))
		if err != nil {
			t.Fatal(err)
		}
		runCtx, stop := context.WithCancel(ctx)
		m.app, m.stop = a, stop
		go func() { m.ended <- a.Run(runCtx) }()
		return m
	}

	members := []*member{start("a"), start("b"), start("c")}
	produceStream(t, brokers[0], cfg.Topics.Samples, stream.records)
	total := int64(len(stream.records))
	t.Logf("produced %d records over %d hosts; three instances running", total, killHosts)

	for committed(t, brokers[0], cfg.Kafka.ConsumerGroup, cfg.Topics.Samples) < total/4 {
		time.Sleep(200 * time.Millisecond)
	}

	// Instance a crashes: nothing more of it is written or committed.
	crashed := members[0]
	crashed.st.dead.Store(true)
	crashed.stop()
	<-crashed.ended // its final flush fails: the error is the point
	t.Logf("instance a crashed at %d of %d records committed", committed(t, brokers[0], cfg.Kafka.ConsumerGroup, cfg.Topics.Samples), total)

	members = append(members[1:], start("d"))
	t.Logf("instance d joined")
	waitCommitted(t, brokers[0], cfg.Kafka.ConsumerGroup, cfg.Topics.Samples, total, 5*time.Minute)
	for _, m := range members {
		m.stop()
		if err := <-m.ended; err != nil {
			t.Errorf("instance %s: %v", m.name, err)
		}
	}

	checkKillStore(t, filepath.Join(cfg.DataDir, "chdb"), stream)
}
