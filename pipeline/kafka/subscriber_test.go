package kafka_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/scalora/scalora/pipeline/kafka"
	"github.com/scalora/scalora/pipeline/kafka/kafkatest"
)

// fixture is one kfake cluster with one topic and helpers around it.
type fixture struct {
	t       *testing.T
	brokers []string
	topic   string
	pub     *kafka.Publisher
}

func newFixture(t *testing.T, partitions int32) *fixture {
	t.Helper()

	c := newCluster(t)
	f := &fixture{t: t, brokers: c.ListenAddrs(), topic: "t-" + watermill.NewShortUUID()}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := kafka.EnsureTopics(ctx, kafka.Config{Brokers: f.brokers}, partitions, f.topic); err != nil {
		t.Fatalf("ensure topics: %v", err)
	}

	pub, err := kafka.NewPublisher(kafka.PublisherConfig{Config: kafka.Config{Brokers: f.brokers}}, nil, nil)
	if err != nil {
		t.Fatalf("new publisher: %v", err)
	}
	t.Cleanup(func() { _ = pub.Close() })
	f.pub = pub

	return f
}

// publish sends one message per key, in order, and returns them.
func (f *fixture) publish(keys ...string) []*message.Message {
	f.t.Helper()

	msgs := make([]*message.Message, len(keys))
	for i, k := range keys {
		msgs[i] = message.NewMessage(watermill.NewUUID(), []byte(k))
		msgs[i].Metadata.Set(kafka.KeyMetadata, k)
	}
	if err := f.pub.Publish(f.topic, msgs...); err != nil {
		f.t.Fatalf("publish: %v", err)
	}
	return msgs
}

func (f *fixture) subscribe(cfg kafka.SubscriberConfig, reg prometheus.Registerer) (*kafka.Subscriber, <-chan *message.Message) {
	f.t.Helper()

	sub, err := kafka.NewSubscriber(cfg, nil, reg)
	if err != nil {
		f.t.Fatalf("new subscriber: %v", err)
	}
	f.t.Cleanup(func() { _ = sub.Close() })

	msgs, err := sub.Subscribe(context.Background(), f.topic)
	if err != nil {
		f.t.Fatalf("subscribe: %v", err)
	}
	return sub, msgs
}

// committed returns the group's committed offset per partition.
func (f *fixture) committed(group string) map[int32]int64 {
	f.t.Helper()

	cl, err := kgo.NewClient(kgo.SeedBrokers(f.brokers...))
	if err != nil {
		f.t.Fatal(err)
	}
	defer cl.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	resp, err := kadm.NewClient(cl).FetchOffsets(ctx, group)
	if err != nil {
		f.t.Fatalf("fetch offsets: %v", err)
	}

	out := map[int32]int64{}
	resp.Each(func(o kadm.OffsetResponse) {
		if o.Topic == f.topic && o.Err == nil && o.At >= 0 {
			out[o.Partition] = o.At
		}
	})
	return out
}

func receive(t *testing.T, msgs <-chan *message.Message) *message.Message {
	t.Helper()

	select {
	case m, ok := <-msgs:
		if !ok {
			t.Fatal("messages channel closed")
		}
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("no message within 10s")
		return nil
	}
}

func expectNone(t *testing.T, msgs <-chan *message.Message, wait time.Duration, why string) {
	t.Helper()

	select {
	case m := <-msgs:
		t.Fatalf("got message %s (%q): %s", m.UUID, m.Payload, why)
	case <-time.After(wait):
	}
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()

	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within 10s: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func counter(t *testing.T, g prometheus.Gatherer, name string) float64 {
	t.Helper()

	mfs, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			sum += m.GetCounter().GetValue()
		}
	}
	return sum
}

func TestBeforeCommitErrorCommitsNothingUntilItSucceeds(t *testing.T) {
	f := newFixture(t, 1)
	f.publish("a", "b", "c")

	var failing atomic.Bool
	failing.Store(true)
	var calls atomic.Int32

	reg := prometheus.NewRegistry()
	cfg := kafkatest.SubscriberConfig(f.brokers, "g-before-commit")
	cfg.CommitInterval = 50 * time.Millisecond
	cfg.BeforeCommit = func(ctx context.Context) error {
		calls.Add(1)
		if failing.Load() {
			return errors.New("store flush failed")
		}
		return nil
	}
	_, msgs := f.subscribe(cfg, reg)

	for range 3 {
		receive(t, msgs).Ack()
	}

	eventually(t, "two failed commit rounds", func() bool {
		return counter(t, reg, "scalora_kafka_commit_errors_total") >= 2
	})
	if got := f.committed("g-before-commit"); len(got) != 0 {
		t.Fatalf("committed %v although BeforeCommit failed", got)
	}

	failing.Store(false)
	eventually(t, "offset 3 committed once BeforeCommit succeeds", func() bool {
		return f.committed("g-before-commit")[0] == 3
	})

	if counter(t, reg, "scalora_kafka_commits_total") < 1 {
		t.Error("scalora_kafka_commits_total not counted")
	}
	if got := counter(t, reg, "scalora_kafka_consumed_total"); got != 3 {
		t.Errorf("scalora_kafka_consumed_total = %v, want 3", got)
	}
	if calls.Load() < 3 {
		t.Errorf("BeforeCommit called %d times, want one per round", calls.Load())
	}
}

func TestNackRedeliversSameMessageBeforeLaterOnes(t *testing.T) {
	f := newFixture(t, 1)
	sent := f.publish("a", "b", "c")

	_, msgs := f.subscribe(kafkatest.SubscriberConfig(f.brokers, "g-nack"), nil)

	first := receive(t, msgs)
	if first.UUID != sent[0].UUID {
		t.Fatalf("first message %s, want %s", first.UUID, sent[0].UUID)
	}
	first.Nack()

	for range 2 {
		again := receive(t, msgs)
		if again.UUID != sent[0].UUID {
			t.Fatalf("after nack got %s, want %s again", again.UUID, sent[0].UUID)
		}
		pos, ok := kafka.PositionOf(again)
		if !ok || pos.Offset != 0 {
			t.Fatalf("redelivered at %+v (ok=%v), want offset 0", pos, ok)
		}
		if again == first {
			t.Fatal("redelivery reused the nacked message value")
		}
		again.Nack()
	}

	receive(t, msgs).Ack()
	for _, want := range sent[1:] {
		got := receive(t, msgs)
		if got.UUID != want.UUID {
			t.Fatalf("got %s, want %s", got.UUID, want.UUID)
		}
		got.Ack()
	}
}

// TestUnackedMessageBlocksOnlyItsPartition holds one message unacked and
// checks that its partition delivers nothing more while the other
// partition keeps flowing, and that acking releases the held partition.
func TestUnackedMessageBlocksOnlyItsPartition(t *testing.T) {
	f := newFixture(t, 2)

	keys := make([]string, 40)
	for i := range keys {
		keys[i] = fmt.Sprintf("host-%d", i)
	}
	f.publish(keys...)

	_, msgs := f.subscribe(kafkatest.SubscriberConfig(f.brokers, "g-block"), nil)

	held := receive(t, msgs)
	heldPos, _ := kafka.PositionOf(held)

	otherSeen := 0
	deadline := time.After(3 * time.Second)
loop:
	for {
		select {
		case m := <-msgs:
			pos, _ := kafka.PositionOf(m)
			if pos.Partition == heldPos.Partition {
				t.Fatalf("partition %d delivered offset %d while offset %d was unacked",
					pos.Partition, pos.Offset, heldPos.Offset)
			}
			otherSeen++
			m.Ack()
		case <-deadline:
			break loop
		}
	}
	if otherSeen == 0 {
		t.Fatal("the other partition delivered nothing while one message was held")
	}

	held.Ack()

	next := receive(t, msgs)
	pos, _ := kafka.PositionOf(next)
	if pos.Partition != heldPos.Partition || pos.Offset != heldPos.Offset+1 {
		t.Fatalf("after ack got %+v, want partition %d offset %d",
			pos, heldPos.Partition, heldPos.Offset+1)
	}
	next.Ack()
}

func TestCloseCommitsAckedOffsetsAfterBeforeCommit(t *testing.T) {
	f := newFixture(t, 1)
	f.publish("a", "b", "c", "d", "e")

	var calls atomic.Int32
	cfg := kafkatest.SubscriberConfig(f.brokers, "g-close")
	cfg.CommitInterval = time.Hour // only Close commits
	cfg.BeforeCommit = func(context.Context) error {
		calls.Add(1)
		return nil
	}
	sub, msgs := f.subscribe(cfg, nil)

	for range 3 {
		receive(t, msgs).Ack()
	}
	unacked := receive(t, msgs) // in flight at Close: must not be committed

	if err := sub.Close(); err != nil {
		t.Fatal(err)
	}

	if calls.Load() != 1 {
		t.Errorf("BeforeCommit called %d times on Close, want 1", calls.Load())
	}
	if got := f.committed("g-close"); got[0] != 3 {
		t.Fatalf("committed %v after Close, want partition 0 at 3", got)
	}
	select {
	case <-unacked.Context().Done():
	default:
		t.Error("context of the in-flight message not canceled by Close")
	}
	if _, open := <-msgs; open {
		t.Error("messages channel still open after Close")
	}
}

// TestRevokedPartitionCommitsAckedOffsets: a member acks everything, then
// a second member joins and takes a partition. The first member commits
// on revocation (its interval commit is off), so the second must not see
// any of the already acked messages again.
func TestRevokedPartitionCommitsAckedOffsets(t *testing.T) {
	f := newFixture(t, 2)

	keys := make([]string, 20)
	for i := range keys {
		keys[i] = fmt.Sprintf("host-%d", i)
	}
	old := f.publish(keys...)

	var beforeCommits atomic.Int32
	cfg := kafkatest.SubscriberConfig(f.brokers, "g-revoke")
	cfg.CommitInterval = time.Hour
	cfg.BeforeCommit = func(context.Context) error {
		beforeCommits.Add(1)
		return nil
	}

	_, first := f.subscribe(cfg, nil)
	for range old {
		receive(t, first).Ack()
	}

	oldIDs := map[string]bool{}
	for _, m := range old {
		oldIDs[m.UUID] = true
	}

	_, second := f.subscribe(cfg, nil)

	// The only commit trigger left is revocation, so a BeforeCommit call
	// means a partition moved to the second member.
	eventually(t, "a partition revoked from the first member", func() bool {
		return beforeCommits.Load() > 0
	})

	// Both members keep acking; new messages go to both partitions.
	type delivery struct {
		msg    *message.Message
		member int
	}
	got := make(chan delivery, 100)
	stop := make(chan struct{})
	defer close(stop)
	for member, ch := range []<-chan *message.Message{first, second} {
		go func() {
			for {
				select {
				case m, ok := <-ch:
					if !ok {
						return
					}
					m.Ack()
					got <- delivery{m, member}
				case <-stop:
					return
				}
			}
		}()
	}

	fresh := f.publish(keys...)
	seen := map[string]bool{}
	bySecond := 0
	deadline := time.After(15 * time.Second)
	for len(seen) < len(fresh) {
		select {
		case d := <-got:
			if oldIDs[d.msg.UUID] {
				t.Fatalf("acked message %s delivered again after the partition moved", d.msg.UUID)
			}
			seen[d.msg.UUID] = true
			if d.member == 1 {
				bySecond++
			}
		case <-deadline:
			t.Fatalf("got %d of %d new messages", len(seen), len(fresh))
		}
	}

	if bySecond == 0 {
		t.Error("the second member received none of the new messages: no partition moved")
	}
}
