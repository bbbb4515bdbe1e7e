package kafka_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/scalora/scalora/pipeline/kafka"
)

func TestPublisherPingAndClose(t *testing.T) {
	c := newCluster(t)
	reg := prometheus.NewRegistry()

	pub, err := kafka.NewPublisher(kafka.PublisherConfig{
		Config:                 kafka.Config{Brokers: c.ListenAddrs()},
		AllowAutoTopicCreation: true,
	}, nil, reg)
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := pub.Ping(ctx); err != nil {
		t.Fatalf("ping: %v", err)
	}

	msgs := []*message.Message{
		message.NewMessage(watermill.NewUUID(), []byte("a")),
		message.NewMessage(watermill.NewUUID(), []byte("b")),
	}
	if err := pub.Publish("p", msgs...); err != nil {
		t.Fatalf("publish: %v", err)
	}
	if got := counter(t, reg, "scalora_kafka_produced_total"); got != 2 {
		t.Errorf("scalora_kafka_produced_total = %v, want 2", got)
	}

	if err := pub.Close(); err != nil {
		t.Fatal(err)
	}
	if err := pub.Publish("p", msgs[0]); !errors.Is(err, kafka.ErrPublisherClosed) {
		t.Errorf("publish after close = %v, want ErrPublisherClosed", err)
	}
	if err := pub.Ping(ctx); !errors.Is(err, kafka.ErrPublisherClosed) {
		t.Errorf("ping after close = %v, want ErrPublisherClosed", err)
	}
}

func TestPublisherAndSubscriberShareOneRegistry(t *testing.T) {
	reg := prometheus.NewRegistry()
	brokers := []string{"127.0.0.1:1"}

	for range 2 {
		pub, err := kafka.NewPublisher(kafka.PublisherConfig{Config: kafka.Config{Brokers: brokers}}, nil, reg)
		if err != nil {
			t.Fatalf("publisher registration failed: %v", err)
		}
		_ = pub.Close()

		if _, err := kafka.NewSubscriber(kafka.SubscriberConfig{
			Config:        kafka.Config{Brokers: brokers},
			ConsumerGroup: "g",
		}, nil, reg); err != nil {
			t.Fatalf("subscriber registration failed: %v", err)
		}
	}
}
