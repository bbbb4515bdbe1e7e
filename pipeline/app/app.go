package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/scalora/scalora/pipeline"
	"github.com/scalora/scalora/pipeline/api"
	"github.com/scalora/scalora/pipeline/kafka"
	"github.com/scalora/scalora/pipeline/store"
	"github.com/scalora/scalora/pipeline/store/migrate"
	"github.com/scalora/scalora/pipeline/store/rollup"
	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/stages/cost"
	"github.com/scalora/scalora/stages/decision"
	"github.com/scalora/scalora/stages/opportunity"
)

// App is one running Scalora process: it owns every part it started and
// closes them in order.
type App struct {
	cfg Config
	log *slog.Logger
	reg *prometheus.Registry

	embedded  *kafka.Embedded
	brokers   []string
	store     store.Store
	wrapStore func(store.Store) store.Store
	pub       *kafka.Publisher
	sub       *kafka.Subscriber
	proc      *pipeline.Processor
	stages    pipeline.Stages
	catalog   *cost.Catalog
	outbox    *pipeline.Outbox
	router    *message.Router
	live      *pipeline.Live
	http      *http.Server
	httpAddr  chan string // receives the listening address once
}

// Option changes how New builds an App.
type Option func(*App)

// WithStoreWrapper makes the pipeline write and read through wrap(st)
// instead of the store st the configuration opens: to instrument it, or to
// inject faults into a real store in tests. The App still closes st.
func WithStoreWrapper(wrap func(st store.Store) store.Store) Option {
	return func(a *App) { a.wrapStore = wrap }
}

// New builds every part of the process from cfg (with defaults set) but
// starts consuming only in Run. On error, whatever was opened is closed.
func New(ctx context.Context, cfg Config, log *slog.Logger, opts ...Option) (*App, error) {
	cfg.SetDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}

	// Group configurations written through PUT /v1/groups/{group}/config
	// override the file's: a PUT applies live and survives restarts.
	groups, err := api.LoadGroups(filepath.Join(cfg.DataDir, "groups"), cfg.Decision)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	cfg.Decision = groups

	a := &App{
		cfg: cfg, log: log, reg: prometheus.NewRegistry(),
		live: pipeline.NewLive(), httpAddr: make(chan string, 1),
	}
	for _, o := range opts {
		o(a)
	}
	if err := a.open(ctx); err != nil {
		a.closeAll()
		return nil, err
	}
	a.http = a.newHTTPServer()
	return a, nil
}

// open opens Kafka and the store and builds the pipeline, in that order.
func (a *App) open(ctx context.Context) error {
	if err := a.openKafka(ctx); err != nil {
		return err
	}
	if err := a.openStore(ctx); err != nil {
		return err
	}
	return a.buildPipeline()
}

func (a *App) openKafka(ctx context.Context) error {
	k := a.cfg.Kafka
	if len(k.Brokers) == 0 {
		dir := filepath.Join(a.cfg.DataDir, "kafka")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("embedded kafka: %w", err)
		}
		emb, err := kafka.NewEmbeddedOn(max(k.EmbeddedPort, 0), dir, k.Partitions, a.cfg.Topics.All()...)
		if err != nil {
			return err
		}
		a.embedded, a.brokers = emb, emb.Addrs()
		a.log.Info("embedded kafka started", "brokers", a.brokers, "dir", dir)
		return nil
	}

	a.brokers = k.Brokers
	if err := kafka.EnsureTopics(ctx, a.kafkaConfig(), k.Partitions, a.cfg.Topics.All()...); err != nil {
		return fmt.Errorf("create topics: %w", err)
	}
	return nil
}

func (a *App) kafkaConfig() kafka.Config {
	k := a.cfg.Kafka
	return kafka.Config{
		Brokers:  a.brokers,
		ClientID: k.ClientID,
		TLS: kafka.TLSConfig{
			Enabled: k.TLS.Enabled, CAFile: k.TLS.CAFile, CertFile: k.TLS.CertFile,
			KeyFile: k.TLS.KeyFile, InsecureSkipVerify: k.TLS.InsecureSkipVerify,
		},
		SASL: kafka.SASLConfig{Mechanism: k.SASL.Mechanism, Username: k.SASL.Username, Password: k.SASL.Password},
	}
}

func (a *App) openStore(ctx context.Context) error {
	st, err := OpenStore(ctx, a.cfg.Store)
	if err != nil {
		return err
	}
	a.store = st
	if err := st.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate store: %w", err)
	}
	if _, err := migrate.EnsureStoreStepsTTL(ctx, st, a.cfg.Store.Database, a.cfg.Store.StepsTTL); err != nil {
		return fmt.Errorf("set steps ttl: %w", err)
	}
	if err := st.Ping(ctx); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	a.log.Info("store ready", "backend", a.cfg.Store.Backend, "database", a.cfg.Store.Database)
	return nil
}

// pipelineStore is the store the pipeline writes and reads: the opened
// one, wrapped if WithStoreWrapper was given.
func (a *App) pipelineStore() store.Store {
	if a.wrapStore != nil {
		return a.wrapStore(a.store)
	}
	return a.store
}

func (a *App) buildPipeline() error {
	var err error
	a.catalog, err = loadCatalog(a.cfg.Prices)
	if err != nil {
		return err
	}
	stages, err := buildStages(a.cfg, a.catalog, a.log)
	if err != nil {
		return err
	}
	a.stages = stages
	a.proc, err = pipeline.NewProcessor(stages, a.live, a.reg)
	if err != nil {
		return err
	}

	a.pub, err = kafka.NewPublisher(kafka.PublisherConfig{Config: a.kafkaConfig()}, a.log, a.reg)
	if err != nil {
		return fmt.Errorf("kafka publisher: %w", err)
	}
	ps := a.pipelineStore()
	a.outbox, err = pipeline.NewOutbox(a.cfg.Outbox, ps, a.pub, a.cfg.Topics, a.log, a.reg)
	if err != nil {
		return err
	}
	a.outbox.TrackStates(func(dst []schemas.HostState) []schemas.HostState {
		return a.proc.SnapshotDirty(a.cfg.Topics.Samples, dst)
	})

	a.sub, err = kafka.NewSubscriber(kafka.SubscriberConfig{
		Config:         a.kafkaConfig(),
		ConsumerGroup:  a.cfg.Kafka.ConsumerGroup,
		CommitInterval: a.cfg.Kafka.CommitInterval,
		InstanceID:     a.cfg.Kafka.InstanceID,
		SessionTimeout: a.cfg.Kafka.SessionTimeout,
		// Heartbeats well inside the session, as Kafka advises (a third).
		HeartbeatInterval: min(3*time.Second, a.cfg.Kafka.SessionTimeout/3),
		BeforeCommit:      a.outbox.Flush,
		OnAssigned:        a.restoreHosts,
	}, a.log, a.reg)
	if err != nil {
		return fmt.Errorf("kafka subscriber: %w", err)
	}

	h := pipeline.NewHandler(a.proc, a.outbox, a.limits())
	a.router, err = pipeline.NewRouter(h, a.sub, a.pub, a.cfg.Topics, a.cfg.ShutdownTimeout, a.log)
	return err
}

// restoreHosts reads back the window state of the hosts of a partition this
// process starts consuming, so that they forecast on their next step
// instead of after a new full window, and hands the decision stage the
// stored forecasts its group steps were still waiting on, so that those
// steps get decided. The anomaly stage's history, a group's scale-in
// history and its last recommended count are not restored: they rebuild
// from the next steps, so decisions right after a restart may differ from
// those an uninterrupted process would have made. The forecast stage's
// per-host blends are restored with the windows (pipeline.HostStateKeeper).
// The stored forecasts handed to the decision stage are the blended ones
// (the model's own values are not stored), so the steps they complete are
// sized from those.
func (a *App) restoreHosts(ctx context.Context, topic string, partition int32) error {
	start := time.Now()
	st := a.outbox.Store()
	states, err := store.LoadStates(ctx, st, topic, []int32{partition})
	if err != nil {
		return err
	}
	n, refused := a.proc.Restore(states)

	lookback := time.Duration(a.cfg.Decision.WaitSteps+2) * a.cfg.Window.Step
	pending, err := store.LoadPending(ctx, st, topic, partition, states, lookback)
	if err != nil {
		return err
	}
	err = a.outbox.Produce(ctx, new(store.Batch), func(b *store.Batch) error {
		return a.proc.ReplayPending(pending, b)
	})
	if err != nil {
		return fmt.Errorf("replay pending forecasts: %w", err)
	}

	a.log.Info("host states restored", "topic", topic, "partition", partition, "hosts", n,
		"refused", len(states)-n, "first_refusal", refused, "pending_forecasts", len(pending), "took", time.Since(start))
	return nil
}

// limits are the input limits of the configuration, for Kafka input and
// the API alike.
func (a *App) limits() schemas.Limits {
	l := schemas.DefaultLimits()
	l.MaxBytes, l.MaxCPU = a.cfg.Limits.MaxMessageBytes, a.cfg.Limits.MaxCPU
	l.MaxPast, l.MaxFuture = a.cfg.Limits.MaxPast, a.cfg.Limits.MaxFuture
	return l
}

// applyGroup applies a group configuration changed through the API to the
// running stages: prices first (the step that can refuse it), then the
// decisions and the opportunity finder. Samples in flight may see the old
// configuration for the step being processed.
func (a *App) applyGroup(cat *cost.Catalog) func(decision.GroupConfig) error {
	return func(g decision.GroupConfig) error {
		if err := a.stages.Cost.(*cost.Coster).UpdateGroup(cat, g); err != nil {
			return err
		}
		if err := a.stages.Decision.(*decision.Decider).UpdateGroup(g); err != nil {
			return err
		}
		if err := a.stages.Opportunity.(*opportunity.Detector).UpdateGroup(g); err != nil {
			return err
		}
		a.log.Info("group config applied", "group", g.Name)
		return nil
	}
}

// Brokers are the Kafka brokers the process uses (the embedded one's
// random address when embedded).
func (a *App) Brokers() []string { return a.brokers }

// Live is the process's live status of hosts and groups.
func (a *App) Live() *pipeline.Live { return a.live }

// Store is the process's store.
func (a *App) Store() store.Store { return a.store }

// Config is the configuration the process runs with, defaults filled.
func (a *App) Config() Config { return a.cfg }

// Registry holds the process's metrics.
func (a *App) Registry() *prometheus.Registry { return a.reg }

// Flush decides the pending group steps and writes every buffered record.
// Used at the end of a replay; a running pipeline flushes on its own.
func (a *App) Flush(ctx context.Context) error {
	var b store.Batch
	if err := a.proc.Flush(&b); err != nil {
		return err
	}
	if err := a.outbox.Add(ctx, &b); err != nil {
		return err
	}
	return a.outbox.Flush(ctx)
}

// Run consumes until ctx is cancelled, then shuts down in order: stop
// consuming (the subscriber flushes the outbox and commits), write what is
// left, close the producer, the store and the embedded broker. A second
// cancellation is the caller's to handle (the command exits).
func (a *App) Run(ctx context.Context) error {
	errc := make(chan error, 2)
	go func() { errc <- a.router.Run(context.WithoutCancel(ctx)) }()

	// The rollups are recomputed until shutdown begins; shutdown waits for
	// the refresh in flight before closing the store.
	rollupCtx, stopRollup := context.WithCancel(ctx)
	rollupDone := make(chan struct{})
	go func() {
		defer close(rollupDone)
		if err := rollup.Run(rollupCtx, a.store, a.cfg.Store.Database, a.cfg.Store.Rollup, a.log); err != nil {
			a.log.Error("rollup refresh stopped", "err", err)
		}
	}()
	waitRollup := func() {
		stopRollup()
		<-rollupDone
	}
	if a.http != nil {
		go a.serveHTTP(errc)
	}
	if idle := a.cfg.Window.IdleTimeout; idle > 0 {
		go a.closeIdle(rollupCtx, idle)
	}

	select {
	case <-a.router.Running():
		a.log.Info("pipeline running", "input", a.cfg.Topics.Samples, "brokers", a.brokers)
	case err := <-errc:
		waitRollup()
		a.closeAll()
		return fmt.Errorf("start pipeline: %w", err)
	}

	var runErr error
	select {
	case <-ctx.Done():
	case runErr = <-errc:
	}
	waitRollup()
	return errors.Join(runErr, a.shutdown())
}

// closeIdle closes silent hosts' open steps four times per idle timeout,
// through the outbox like any input, until ctx ends.
func (a *App) closeIdle(ctx context.Context, idle time.Duration) {
	t := time.NewTicker(idle / 4)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		err := a.outbox.Produce(ctx, new(store.Batch), a.proc.CloseIdle)
		if err != nil && ctx.Err() == nil {
			a.log.Warn("closing idle hosts failed", "err", err)
		}
	}
}

func (a *App) shutdown() error {
	ctx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer cancel()

	a.log.Info("Stopping pipeline...")
	var errs []error
	if err := a.router.Close(); err != nil {
		errs = append(errs, fmt.Errorf("close router: %w", err))
	}
	if err := a.sub.Close(); err != nil {
		errs = append(errs, fmt.Errorf("close subscriber: %w", err))
	}
	if err := a.outbox.Flush(ctx); err != nil {
		errs = append(errs, fmt.Errorf("final flush: %w", err))
	}
	a.log.Info("Pipeline stopped")

	a.closeAll()
	return errors.Join(errs...)
}

// closeAll closes what was opened, last opened first. Safe to call on a
// partly built App.
func (a *App) closeAll() {
	if a.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = a.http.Shutdown(ctx)
		cancel()
	}
	if a.sub != nil {
		_ = a.sub.Close()
	}
	if a.pub != nil {
		_ = a.pub.Close()
	}
	if a.store != nil {
		_ = a.store.Close()
		a.store = nil
	}
	if a.embedded != nil {
		a.log.Info("Stopping embedded kafka...")
		a.embedded.Close()
		a.embedded = nil
		a.log.Info("Embedded kafka stopped")
	}
}

// Processed is the number of valid samples the stage chain has taken.
func (a *App) Processed() int64 { return a.proc.Processed() }
