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

// TestEmbeddedPersistsRecordsAndOffsetsAcrossReopen produces three
// messages, acks one through a group, closes the broker and reopens it on
// the same directory: a new group must read all three, the old group only
// the two it never acked.
func TestEmbeddedPersistsRecordsAndOffsetsAcrossReopen(t *testing.T) {
	dir := t.TempDir()
	const topic = "samples"

	e, err := kafka.NewEmbedded(dir, 2, topic)
	if err != nil {
		t.Fatalf("open embedded: %v", err)
	}

	pub, err := kafka.NewPublisher(kafka.PublisherConfig{Config: kafka.Config{Brokers: e.Addrs()}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	sent := make([]*message.Message, 3)
	for i := range sent {
		sent[i] = message.NewMessage(watermill.NewUUID(), []byte{byte('a' + i)})
		sent[i].Metadata.Set(kafka.KeyMetadata, "one-host")
	}
	if err := pub.Publish(topic, sent...); err != nil {
		t.Fatalf("publish: %v", err)
	}
	_ = pub.Close()

	readUUIDs(t, e.Addrs(), "old-group", topic, 1)
	e.Close()

	e, err = kafka.NewEmbedded(dir, 2, topic)
	if err != nil {
		t.Fatalf("reopen embedded: %v", err)
	}
	defer e.Close()

	all := readUUIDs(t, e.Addrs(), "new-group", topic, 3)
	for i, m := range sent {
		if all[i] != m.UUID {
			t.Fatalf("after reopen message %d is %s, want %s", i, all[i], m.UUID)
		}
	}

	rest := readUUIDs(t, e.Addrs(), "old-group", topic, 2)
	if rest[0] != sent[1].UUID || rest[1] != sent[2].UUID {
		t.Fatalf("old group resumed at %v, want the last two messages", rest)
	}
}

// readUUIDs consumes and acks n messages as group, closes the subscriber
// (which commits) and returns their UUIDs in order.
func readUUIDs(t *testing.T, brokers []string, group, topic string, n int) []string {
	t.Helper()

	sub, err := kafka.NewSubscriber(kafkatest.SubscriberConfig(brokers, group), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	msgs, err := sub.Subscribe(ctx, topic)
	if err != nil {
		t.Fatal(err)
	}

	var ids []string
	for range n {
		m := receive(t, msgs)
		m.Ack()
		ids = append(ids, m.UUID)
	}
	return ids
}
