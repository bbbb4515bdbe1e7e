package agent

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/scalora/scalora/pipeline/kafka"
	"github.com/scalora/scalora/schemas"
)

func TestSendsToKafkaKeyedByHost(t *testing.T) {
	const topic = "scalora.samples"
	broker, err := kafka.NewEmbedded(t.TempDir(), 2, topic)
	if err != nil {
		t.Fatal(err)
	}
	defer broker.Close()

	pub, err := kafka.NewPublisher(kafka.PublisherConfig{
		Config: kafka.Config{Brokers: broker.Addrs()}, ProduceTimeout: 5 * time.Second,
	}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()

	_, ticks := runAgent(t, Config{Host: "cache-7", Proc: busySnaps(33, 66)},
		&KafkaSender{Publisher: pub, Topic: topic}, nil)
	ticks <- t0
	ticks <- t0.Add(10 * time.Second)

	cl, err := kgo.NewClient(kgo.SeedBrokers(broker.Addrs()...), kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var got []schemas.Sample
	for len(got) < 2 {
		fs := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			t.Fatalf("got %d of 2 samples: %v", len(got), err)
		}
		fs.EachRecord(func(r *kgo.Record) {
			if string(r.Key) != "cache-7" {
				t.Errorf("key = %q, want the host", r.Key)
			}
			s, err := schemas.DecodeSample(r.Value, schemas.Limits{MaxBytes: 4096, MaxHostLen: 253,
				MaxCPU: 200, MaxPast: 1 << 62, MaxFuture: 1 << 62, Now: time.Now})
			if err != nil {
				t.Errorf("record does not decode as the pipeline decodes it: %v", err)
			}
			got = append(got, s)
		})
	}

	// One host on one key keeps its samples in order on one partition.
	if got[0].CPU < 32.99 || got[0].CPU > 33.01 || got[1].CPU < 65.99 || got[1].CPU > 66.01 {
		b, _ := json.Marshal(got)
		t.Fatalf("samples = %s, want cpu 33 then 66", b)
	}
}
