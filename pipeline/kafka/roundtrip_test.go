package kafka_test

import (
	"context"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/scalora/scalora/pipeline/kafka"
	"github.com/scalora/scalora/pipeline/kafka/kafkatest"
)

// roundTrip publishes one message with cfg and reads it back through a
// consumer group, failing the test on any error or after 20s.
func roundTrip(t *testing.T, cfg kafka.Config) {
	t.Helper()

	topic := "rt-" + watermill.NewShortUUID()

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	if err := kafka.EnsureTopics(ctx, cfg, 1, topic); err != nil {
		t.Fatalf("ensure topics: %v", err)
	}

	pub, err := kafka.NewPublisher(kafka.PublisherConfig{Config: cfg}, nil, nil)
	if err != nil {
		t.Fatalf("new publisher: %v", err)
	}
	defer pub.Close()

	sent := message.NewMessage(watermill.NewUUID(), []byte("hello"))
	if err := pub.Publish(topic, sent); err != nil {
		t.Fatalf("publish: %v", err)
	}

	scfg := kafkatest.SubscriberConfig(nil, "rt-group")
	scfg.Config = cfg
	sub, err := kafka.NewSubscriber(scfg, nil, nil)
	if err != nil {
		t.Fatalf("new subscriber: %v", err)
	}
	defer sub.Close()

	msgs, err := sub.Subscribe(ctx, topic)
	if err != nil {
		t.Fatalf("subscribe: %v", err)
	}

	select {
	case got := <-msgs:
		got.Ack()
		if got.UUID != sent.UUID || string(got.Payload) != "hello" {
			t.Fatalf("got %s %q, want %s %q", got.UUID, got.Payload, sent.UUID, "hello")
		}
	case <-ctx.Done():
		t.Fatal("no message within 20s")
	}
}
