// Package kafkatest runs Watermill's conformance suite against the kafka
// transport, on kfake in unit tests and on a real broker in integration
// tests. It is test support: it imports the testing package.
package kafkatest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/pubsub/tests"

	"github.com/scalora/scalora/pipeline/kafka"
)

// Features is what the transport promises to Watermill's conformance
// suite, each field with the reason.
var Features = tests.Features{
	// A Subscriber joins a Kafka consumer group; each group gets every
	// message, members of one group share them.
	ConsumerGroups: true,

	// At-least-once: a message in flight when a partition moves or a
	// subscriber closes is delivered again, and nothing deduplicates.
	ExactlyOnceDelivery: false,

	// Order holds per partition key: the suite's order test groups
	// messages by payload, and the publisher used here makes the payload
	// the key (see KeyByPayload). The suite's no-ack test relies on it
	// too: both its messages share a key, so the second waits for the
	// first's ack.
	GuaranteedOrder: true,

	// False because order also holds with many subscribers in one group:
	// a partition is served by one member at a time, which commits what
	// it acked before giving the partition up. The suite then runs its
	// order test with ten subscribers.
	GuaranteedOrderWithSingleSubscriber: false,

	// Records and committed offsets live in the broker, not in the
	// Publisher or Subscriber.
	Persistent: true,

	// Not tested: the suite would need a command restarting the broker.
	// kfake is in-process, and restarting the shared real broker would
	// disturb its other users.
	RestartServiceCommand: nil,

	// The suite's "one service" constructor shares one group, so a new
	// subscriber continues from the group's committed offsets rather
	// than reading old messages again: that test does not apply.
	NewSubscriberReceivesOldMessages: false,

	// A Go context cannot travel through Kafka; consumed messages get a
	// context derived from the Subscribe context instead.
	ContextPreserved: false,
}

// SubscriberConfig shortens group timings so that members join and leave
// in well under a second, as the suite creates hundreds of them.
func SubscriberConfig(brokers []string, group string) kafka.SubscriberConfig {
	return kafka.SubscriberConfig{
		Config:            kafka.Config{Brokers: brokers},
		ConsumerGroup:     group,
		CommitInterval:    100 * time.Millisecond,
		NackResendSleep:   5 * time.Millisecond,
		HeartbeatInterval: 100 * time.Millisecond,
		SessionTimeout:    6 * time.Second,
		RebalanceTimeout:  6 * time.Second,
		FetchMaxWait:      100 * time.Millisecond,
	}
}

// RunConformance runs tests.TestPubSub with Features on brokers. Topic
// names start with topicPrefix so that a run on a shared broker is easy
// to recognise; the suite makes them unique per test.
func RunConformance(t *testing.T, brokers []string, topicPrefix string) {
	features := Features
	features.GenerateTopicFunc = func(tctx tests.TestContext) string {
		return topicPrefix + string(tctx.TestID)
	}

	plain, grouped := Constructors(brokers)
	tests.TestPubSub(t, features, plain, grouped)
}

// Constructors builds the suite's two constructors for brokers.
func Constructors(
	brokers []string,
) (tests.PubSubConstructor, tests.ConsumerGroupPubSubConstructor) {
	newPub := func(t *testing.T) message.Publisher {
		pub, err := kafka.NewPublisher(kafka.PublisherConfig{
			Config:                 kafka.Config{Brokers: brokers},
			AllowAutoTopicCreation: true,
		}, nil, nil)
		if err != nil {
			t.Fatalf("new publisher: %v", err)
		}
		return KeyByPayload{pub}
	}

	plain := func(t *testing.T) (message.Publisher, message.Subscriber) {
		return newPub(t), &GroupPerTopic{
			Config: SubscriberConfig(brokers, ""),
			Prefix: "svc-",
		}
	}

	grouped := func(t *testing.T, group string) (message.Publisher, message.Subscriber) {
		sub, err := kafka.NewSubscriber(SubscriberConfig(brokers, group), nil, nil)
		if err != nil {
			t.Fatalf("new subscriber: %v", err)
		}
		return newPub(t), sub
	}

	return plain, grouped
}

// KeyByPayload is a Publisher that sets "partition_key" to the payload
// when a message has none. The conformance suite checks order per payload
// value, and order holds per key, so this is how the suite's messages get
// the keys a real producer would give them.
type KeyByPayload struct{ message.Publisher }

// Publish sets the missing keys, then publishes.
func (k KeyByPayload) Publish(topic string, msgs ...*message.Message) error {
	for _, m := range msgs {
		if m.Metadata.Get(kafka.KeyMetadata) == "" {
			m.Metadata.Set(kafka.KeyMetadata, string(m.Payload))
		}
	}
	return k.Publisher.Publish(topic, msgs...)
}

// GroupPerTopic is a Subscriber whose Subscribe joins the group
// Prefix+topic through a kafka.Subscriber made for that call. The suite's
// plain constructor stands for "one service", all of whose subscribers
// share a group. One group name across the suite's many parallel topics
// would rebalance every member on every join; a group per topic keeps
// the semantics without that churn. Safe for concurrent use.
type GroupPerTopic struct {
	// Config is used for every Subscribe; its ConsumerGroup is replaced.
	Config kafka.SubscriberConfig
	Prefix string

	mu     sync.Mutex
	subs   []*kafka.Subscriber
	closed bool
}

// Subscribe joins Prefix+topic.
func (g *GroupPerTopic) Subscribe(ctx context.Context, topic string) (<-chan *message.Message, error) {
	g.mu.Lock()
	defer g.mu.Unlock()

	if g.closed {
		return nil, kafka.ErrSubscriberClosed
	}

	cfg := g.Config
	cfg.ConsumerGroup = g.Prefix + topic

	sub, err := kafka.NewSubscriber(cfg, nil, nil)
	if err != nil {
		return nil, err
	}
	g.subs = append(g.subs, sub)

	return sub.Subscribe(ctx, topic)
}

// SubscribeInitialize creates topic with four partitions if missing.
func (g *GroupPerTopic) SubscribeInitialize(topic string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	return kafka.EnsureTopics(ctx, g.Config.Config, 4, topic)
}

// Close closes every subscriber made so far.
func (g *GroupPerTopic) Close() error {
	g.mu.Lock()
	g.closed = true
	subs := g.subs
	g.subs = nil
	g.mu.Unlock()

	for _, s := range subs {
		if err := s.Close(); err != nil {
			return err
		}
	}
	return nil
}
