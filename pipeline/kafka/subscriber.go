package kafka

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Values of SubscriberConfig.InitialOffset.
const (
	OffsetEarliest = "earliest"
	OffsetLatest   = "latest"
)

// SubscriberConfig configures a Subscriber.
type SubscriberConfig struct {
	Config

	// ConsumerGroup is the Kafka consumer group every Subscribe call joins.
	// Required. Members of one group share the partitions of a topic;
	// each group receives every message.
	ConsumerGroup string

	// InitialOffset is where a group with no committed offset for a
	// partition starts: "earliest" (default) or "latest".
	InitialOffset string

	// CommitInterval is how often acked offsets are committed.
	// Default 1s. Offsets are also committed on revocation and on Close.
	CommitInterval time.Duration

	// CommitTimeout bounds one commit round, BeforeCommit included.
	// Default 30s.
	CommitTimeout time.Duration

	// NackResendSleep is the pause before a nacked message is delivered
	// again. Default 100ms.
	NackResendSleep time.Duration

	// BeforeCommit, when set, runs before every commit round: on the
	// CommitInterval ticker, before a revoked partition is given up, and
	// on Close. A pipeline that batches writes downstream of the handler
	// (a store batch, a producer) flushes them here, so that an offset is
	// committed only once everything produced from the records below it
	// is durable: at-least-once end to end. If it returns an error,
	// nothing is committed this round; the error is logged at Warn and
	// counted, and the same offsets (plus any acked since) are tried
	// again on the next round. On revocation a failure means the new
	// owner re-reads from the last committed offset (duplicates, not
	// loss). It may be called from several goroutines, one subscription
	// per Subscribe call, but never concurrently within one subscription.
	// It must return well within the rebalance timeout, because a
	// revocation waits for it.
	BeforeCommit func(ctx context.Context) error

	// OnAssigned, when set, runs when this member starts delivering a
	// partition: before the first record of each assignment of it is
	// delivered. A stateful handler restores there the state of the keys
	// the partition carries (the pipeline reads its hosts' windows back
	// from the store). An error is logged at Warn and the call retried
	// with exponential backoff (up to 10s apart) until it succeeds or the
	// partition is revoked: the partition's records wait, others flow.
	OnAssigned func(ctx context.Context, topic string, partition int32) error

	// InitializePartitions is the partition count SubscribeInitialize
	// creates a missing topic with. Default 4.
	InitializePartitions int32

	// MaxPollRecords bounds the records taken from the client per poll.
	// Default 1000.
	MaxPollRecords int

	// MaxQueuedPerPartition is how many fetched records may wait for one
	// partition's handler before fetching that partition pauses.
	// Default 1000.
	MaxQueuedPerPartition int

	// HeartbeatInterval, SessionTimeout and RebalanceTimeout are the
	// group membership timings. Defaults 3s, 45s and 60s (Kafka's). Lower
	// heartbeats make rebalances, and so new members, quicker to settle.
	HeartbeatInterval time.Duration
	SessionTimeout    time.Duration
	RebalanceTimeout  time.Duration

	// InstanceID, when set, is the member's static group instance ID
	// (KIP-345): a member that restarts with the same ID before the
	// session times out takes its partitions back without a rebalance.
	// Empty (the default) joins as a dynamic member.
	InstanceID string

	// FetchMaxWait is how long the broker may hold a fetch with no new
	// data. Default 500ms (Kafka's); it also bounds how long a resumed
	// partition waits for its next fetch.
	FetchMaxWait time.Duration
}

// SetDefaults fills the zero fields with the defaults written in their docs.
func (c *SubscriberConfig) SetDefaults() {
	c.Config.SetDefaults()

	setDefault(&c.InitialOffset, OffsetEarliest)
	setDefault(&c.CommitInterval, time.Second)
	setDefault(&c.CommitTimeout, 30*time.Second)
	setDefault(&c.NackResendSleep, 100*time.Millisecond)
	setDefault(&c.InitializePartitions, 4)
	setDefault(&c.MaxPollRecords, 1000)
	setDefault(&c.MaxQueuedPerPartition, 1000)
	setDefault(&c.HeartbeatInterval, 3*time.Second)
	setDefault(&c.SessionTimeout, 45*time.Second)
	setDefault(&c.RebalanceTimeout, 60*time.Second)
	setDefault(&c.FetchMaxWait, 500*time.Millisecond)
}

func setDefault[T comparable](field *T, def T) {
	var zero T
	if *field == zero {
		*field = def
	}
}

// Validate reports the first configuration error; call SetDefaults first.
func (c SubscriberConfig) Validate() error {
	if err := c.Config.Validate(); err != nil {
		return err
	}
	if c.ConsumerGroup == "" {
		return ErrNoConsumerGroup
	}
	if c.InitialOffset != OffsetEarliest && c.InitialOffset != OffsetLatest {
		return fmt.Errorf("%w, got %q", ErrInitialOffset, c.InitialOffset)
	}

	for name, d := range map[string]time.Duration{
		"commit interval":    c.CommitInterval,
		"commit timeout":     c.CommitTimeout,
		"heartbeat interval": c.HeartbeatInterval,
		"session timeout":    c.SessionTimeout,
		"rebalance timeout":  c.RebalanceTimeout,
		"fetch max wait":     c.FetchMaxWait,
	} {
		if d <= 0 {
			return fmt.Errorf("%s %s: must be positive", name, d)
		}
	}
	if c.NackResendSleep < 0 {
		return fmt.Errorf("nack resend sleep %s: must not be negative", c.NackResendSleep)
	}
	if c.HeartbeatInterval >= c.SessionTimeout {
		return fmt.Errorf("heartbeat interval %s must be shorter than session timeout %s",
			c.HeartbeatInterval, c.SessionTimeout)
	}
	if c.InitializePartitions <= 0 || c.MaxPollRecords <= 0 || c.MaxQueuedPerPartition <= 0 {
		return fmt.Errorf("initialize partitions, max poll records and max queued per partition must be positive")
	}

	return nil
}

// Subscriber is a Watermill message.Subscriber reading Kafka through a
// consumer group. Each Subscribe call is a separate group member with its
// own connection; Subscribe may be called concurrently, also for the same
// topic (the calls then share the topic's partitions). It implements
// message.SubscribeInitializer.
type Subscriber struct {
	cfg     SubscriberConfig
	base    []kgo.Opt
	log     *slog.Logger
	metrics *metrics

	mu     sync.Mutex
	closed bool
	subs   []*subscription
}

// NewSubscriber validates cfg (after defaulting it) and registers metrics
// on reg; nil reg means no metrics, nil logger means no logs. It does not
// connect: each Subscribe does.
func NewSubscriber(cfg SubscriberConfig, logger *slog.Logger, reg prometheus.Registerer) (*Subscriber, error) {
	cfg.SetDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("kafka subscriber config: %w", err)
	}

	base, err := cfg.clientOpts()
	if err != nil {
		return nil, fmt.Errorf("kafka subscriber config: %w", err)
	}

	m, err := newMetrics(reg)
	if err != nil {
		return nil, fmt.Errorf("kafka subscriber metrics: %w", err)
	}

	return &Subscriber{cfg: cfg, base: base, log: orDiscard(logger), metrics: m}, nil
}

// Subscribe joins the consumer group for topic and returns the messages of
// the partitions assigned to this member. Per partition, the next message
// is sent only after the previous one is Acked; a Nacked one is sent again
// after NackResendSleep. Messages of different partitions arrive
// concurrently. Each message's context ends when it is acked or nacked,
// or when the subscription ends.
//
// The channel is closed when ctx is canceled or Close is called, after the
// acked offsets were committed and the member left the group. Messages in
// flight at that moment are not committed and will be delivered again.
func (s *Subscriber) Subscribe(ctx context.Context, topic string) (<-chan *message.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	if s.closed {
		return nil, ErrSubscriberClosed
	}

	subCtx, cancel := context.WithCancel(ctx)
	sub := &subscription{
		cfg:     s.cfg,
		topic:   topic,
		log:     s.log,
		metrics: s.metrics,
		marks:   newOffsetMarks(),
		out:     make(chan *message.Message),
		ctx:     subCtx,
		cancel:  cancel,
		workers: make(map[int32]*partitionWorker),
		done:    make(chan struct{}),
	}

	cl, err := kgo.NewClient(sub.clientOpts(append([]kgo.Opt(nil), s.base...))...)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("kafka subscribe %s: %w", topic, err)
	}
	sub.cl = cl

	s.subs = append(pruneDone(s.subs), sub)
	go sub.run()

	s.log.Info("kafka subscription started", "topic", topic, "group", s.cfg.ConsumerGroup)
	return sub.out, nil
}

// pruneDone drops subscriptions that already ended (their context was
// canceled), so a long-lived Subscriber does not accumulate them.
func pruneDone(subs []*subscription) []*subscription {
	live := subs[:0]
	for _, s := range subs {
		select {
		case <-s.done:
		default:
			live = append(live, s)
		}
	}
	return live
}

// SubscribeInitialize creates topic with InitializePartitions partitions
// if it does not exist yet.
func (s *Subscriber) SubscribeInitialize(topic string) error {
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.CommitTimeout)
	defer cancel()

	return EnsureTopics(ctx, s.cfg.Config, s.cfg.InitializePartitions, topic)
}

// Close ends every subscription and waits until each has committed what
// was acked, left the group and closed its channel. Idempotent.
func (s *Subscriber) Close() error {
	s.mu.Lock()
	s.closed = true
	subs := s.subs
	s.subs = nil
	s.mu.Unlock()

	for _, sub := range subs {
		sub.cancel()
	}
	for _, sub := range subs {
		<-sub.done
	}

	return nil
}

var (
	_ message.Subscriber           = (*Subscriber)(nil)
	_ message.SubscribeInitializer = (*Subscriber)(nil)
)
