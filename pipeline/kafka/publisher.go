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

// PublisherConfig configures a Publisher.
type PublisherConfig struct {
	Config

	// AllowAutoTopicCreation lets the broker create a topic on first
	// publish (it must have auto.create.topics.enable). Default false:
	// production topics are created with EnsureTopics and a chosen
	// partition count.
	AllowAutoTopicCreation bool

	// ProduceTimeout bounds one Publish call, retries included.
	// Default 30s.
	ProduceTimeout time.Duration
}

// SetDefaults fills the zero fields with the defaults written in their docs.
func (c *PublisherConfig) SetDefaults() {
	c.Config.SetDefaults()
	if c.ProduceTimeout == 0 {
		c.ProduceTimeout = 30 * time.Second
	}
}

// Validate reports the first configuration error; call SetDefaults first.
func (c PublisherConfig) Validate() error {
	if err := c.Config.Validate(); err != nil {
		return err
	}
	if c.ProduceTimeout < 0 {
		return fmt.Errorf("produce timeout %s: must not be negative", c.ProduceTimeout)
	}
	return nil
}

// Publisher is a Watermill message.Publisher writing to Kafka. It is safe
// for concurrent use; Publish calls from several goroutines share one
// franz-go client and its batching.
type Publisher struct {
	cfg     PublisherConfig
	cl      *kgo.Client
	log     *slog.Logger
	metrics *metrics

	mu     sync.RWMutex
	closed bool
}

// NewPublisher connects lazily (the first Publish dials the brokers) and
// registers its metrics on reg; nil reg means no metrics, nil logger
// means no logs. The config is defaulted and validated here.
func NewPublisher(cfg PublisherConfig, logger *slog.Logger, reg prometheus.Registerer) (*Publisher, error) {
	cfg.SetDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("kafka publisher config: %w", err)
	}

	logger = orDiscard(logger)

	opts, err := cfg.clientOpts()
	if err != nil {
		return nil, fmt.Errorf("kafka publisher config: %w", err)
	}
	opts = append(opts,
		kgo.WithLogger(kgoLogger{logger}),
		kgo.RequiredAcks(kgo.AllISRAcks()),
		// Publish waits for its records, so waiting more for others to
		// fill a batch only adds latency; concurrent Publish calls still
		// batch while a request is in flight.
		kgo.ProducerLinger(0),
		kgo.RecordDeliveryTimeout(cfg.ProduceTimeout),
	)
	if cfg.AllowAutoTopicCreation {
		opts = append(opts, kgo.AllowAutoTopicCreation())
	}

	m, err := newMetrics(reg)
	if err != nil {
		return nil, fmt.Errorf("kafka publisher metrics: %w", err)
	}

	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("kafka publisher client: %w", err)
	}

	return &Publisher{cfg: cfg, cl: cl, log: logger, metrics: m}, nil
}

// Publish writes msgs to topic in one batch and returns once the broker
// acknowledged all of them (acks=all), or with the first error. On error
// some of the messages may have been written: the caller retries the whole
// call and consumers see duplicates, which at-least-once allows. Each
// message's key is its "partition_key" metadata, else its UUID.
func (p *Publisher) Publish(topic string, msgs ...*message.Message) error {
	p.mu.RLock()
	defer p.mu.RUnlock()

	if p.closed {
		return ErrPublisherClosed
	}
	if len(msgs) == 0 {
		return nil
	}

	records := make([]*kgo.Record, len(msgs))
	for i, msg := range msgs {
		records[i] = toRecord(topic, msg)
	}

	ctx, cancel := context.WithTimeout(context.Background(), p.cfg.ProduceTimeout)
	defer cancel()

	if err := p.cl.ProduceSync(ctx, records...).FirstErr(); err != nil {
		return fmt.Errorf("produce to %s: %w", topic, err)
	}

	p.metrics.addProduced(topic, len(records))
	return nil
}

// Ping checks that at least one broker answers a metadata request, for
// readiness probes. It returns ErrPublisherClosed after Close.
func (p *Publisher) Ping(ctx context.Context) error {
	p.mu.RLock()
	defer p.mu.RUnlock()

	if p.closed {
		return ErrPublisherClosed
	}
	if err := p.cl.Ping(ctx); err != nil {
		return fmt.Errorf("ping brokers: %w", err)
	}
	return nil
}

// Close waits for Publish calls in progress, then closes the client.
// Publish after Close returns ErrPublisherClosed. Close is idempotent.
func (p *Publisher) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()

	if p.closed {
		return nil
	}
	p.closed = true

	p.cl.Close()
	return nil
}

var _ message.Publisher = (*Publisher)(nil)
