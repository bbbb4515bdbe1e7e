package kafka_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/scalora/scalora/pipeline/kafka"
	"github.com/scalora/scalora/pipeline/kafka/kafkatest"
)

// BenchmarkPublishSubscribe measures the round trip through kfake: b.N
// messages of 200 bytes over 64 keys, published in batches of 500 (each
// Publish waits for the broker), consumed by one subscription and acked
// as they arrive. One op is one message published, consumed and acked.
// Offsets are committed every second as in production.
func BenchmarkPublishSubscribe(b *testing.B) {
	for _, partitions := range []int32{1, 4} {
		b.Run(fmt.Sprintf("partitions=%d", partitions), func(b *testing.B) {
			benchPublishSubscribe(b, partitions)
		})
	}
}

func benchPublishSubscribe(b *testing.B, partitions int32) {
	c := newCluster(b)
	brokers := c.ListenAddrs()
	topic := "bench-" + watermill.NewShortUUID()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	if err := kafka.EnsureTopics(ctx, kafka.Config{Brokers: brokers}, partitions, topic); err != nil {
		b.Fatal(err)
	}

	pub, err := kafka.NewPublisher(kafka.PublisherConfig{Config: kafka.Config{Brokers: brokers}}, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer pub.Close()

	cfg := kafkatest.SubscriberConfig(brokers, "bench")
	cfg.CommitInterval = time.Second
	sub, err := kafka.NewSubscriber(cfg, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer sub.Close()

	msgs, err := sub.Subscribe(ctx, topic)
	if err != nil {
		b.Fatal(err)
	}

	// Warm up: the group has joined once one message made it through.
	if err := pub.Publish(topic, message.NewMessage(watermill.NewUUID(), nil)); err != nil {
		b.Fatal(err)
	}
	(<-msgs).Ack()

	payload := make([]byte, 200)
	const batch = 500

	b.ReportAllocs()
	b.SetBytes(int64(len(payload)))
	b.ResetTimer()

	consumed := make(chan struct{})
	go func() {
		defer close(consumed)
		for range b.N {
			m, ok := <-msgs
			if !ok {
				return
			}
			m.Ack()
		}
	}()

	for sent := 0; sent < b.N; {
		n := min(batch, b.N-sent)
		out := make([]*message.Message, n)
		for i := range out {
			out[i] = message.NewMessage(watermill.NewUUID(), payload)
			out[i].Metadata.Set(kafka.KeyMetadata, fmt.Sprintf("host-%d", (sent+i)%64))
		}
		if err := pub.Publish(topic, out...); err != nil {
			b.Fatal(err)
		}
		sent += n
	}

	select {
	case <-consumed:
	case <-ctx.Done():
		b.Fatal("not all messages consumed")
	}
	b.StopTimer()

	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
