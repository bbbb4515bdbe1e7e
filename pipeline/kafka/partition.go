package kafka

import (
	"context"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/cenkalti/backoff/v5"
	"github.com/twmb/franz-go/pkg/kgo"
)

// partitionWorker delivers the records of one assigned partition, one at a
// time: the next record goes out only after the previous one was acked. A
// nacked record is delivered again, after nackSleep, before anything later.
//
// The poll loop appends to the queue and never blocks on the worker; when
// the queue grows past maxQueued the worker's partition is paused in the
// client, and resumed once the worker has drained half of it. That way a
// slow partition holds back only itself.
type partitionWorker struct {
	sub       *subscription
	topic     string
	partition int32

	ctx    context.Context // canceled on revocation, loss or shutdown
	cancel context.CancelFunc
	done   chan struct{}

	mu     sync.Mutex
	queue  []*kgo.Record
	next   int64 // offset expected next; guards against duplicates
	paused bool
	wake   chan struct{}
}

func newPartitionWorker(s *subscription, topic string, partition int32) *partitionWorker {
	ctx, cancel := context.WithCancel(s.ctx)
	return &partitionWorker{
		sub:       s,
		topic:     topic,
		partition: partition,
		ctx:       ctx,
		cancel:    cancel,
		done:      make(chan struct{}),
		next:      -1,
		wake:      make(chan struct{}, 1),
	}
}

// push queues records fetched for this partition. Called from the poll
// loop only.
func (w *partitionWorker) push(recs []*kgo.Record) {
	w.mu.Lock()
	defer w.mu.Unlock()

	for _, r := range recs {
		if r.Offset < w.next {
			continue
		}
		w.next = r.Offset + 1
		w.queue = append(w.queue, r)
	}

	if !w.paused && len(w.queue) >= w.sub.cfg.MaxQueuedPerPartition {
		w.paused = true
		w.sub.cl.PauseFetchPartitions(w.partitions())
	}

	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// pop waits for the next record; it returns nil when the worker must stop.
func (w *partitionWorker) pop() *kgo.Record {
	for {
		w.mu.Lock()
		if len(w.queue) > 0 {
			r := w.queue[0]
			w.queue[0] = nil
			w.queue = w.queue[1:]

			if w.paused && len(w.queue) <= w.sub.cfg.MaxQueuedPerPartition/2 {
				w.paused = false
				w.sub.cl.ResumeFetchPartitions(w.partitions())
			}
			w.mu.Unlock()
			return r
		}
		w.mu.Unlock()

		select {
		case <-w.wake:
		case <-w.ctx.Done():
			return nil
		}
	}
}

func (w *partitionWorker) partitions() map[string][]int32 {
	return map[string][]int32{w.topic: {w.partition}}
}

// run delivers records until the worker is stopped. A record in flight
// when it stops is neither acked nor marked, so whoever owns the partition
// next receives it again.
func (w *partitionWorker) run() {
	defer close(w.done)

	if !w.assigned() {
		return
	}
	for {
		r := w.pop()
		if r == nil {
			return
		}
		if !w.deliver(r) {
			return
		}

		w.sub.marks.markRecord(r)
		w.sub.metrics.addConsumed(r.Topic)
	}
}

// assigned runs OnAssigned until it succeeds (true) or the worker stops.
func (w *partitionWorker) assigned() bool {
	hook := w.sub.cfg.OnAssigned
	if hook == nil {
		return true
	}

	_, err := backoff.Retry(w.ctx, func() (struct{}, error) {
		err := hook(w.ctx, w.topic, w.partition)
		if err != nil && w.ctx.Err() == nil {
			w.sub.log.Warn("kafka partition setup failed, retrying",
				"topic", w.topic, "partition", w.partition, "err", err)
		}
		return struct{}{}, err
	}, backoff.WithMaxElapsedTime(0), backoff.WithBackOff(&backoff.ExponentialBackOff{
		InitialInterval: 100 * time.Millisecond, RandomizationFactor: 0.2, Multiplier: 2, MaxInterval: 10 * time.Second,
	}))
	return err == nil
}

// deliver sends r until it is acked (true) or the worker stops (false).
func (w *partitionWorker) deliver(r *kgo.Record) bool {
	for {
		// A fresh message per attempt: a Watermill message can be acked
		// or nacked only once.
		ctx, cancel := context.WithCancel(w.ctx)
		ctx = withPosition(ctx, Position{
			Topic: r.Topic, Partition: r.Partition, Offset: r.Offset, Timestamp: r.Timestamp,
		})
		msg := toMessage(ctx, r)

		acked, ok := w.attempt(msg)
		cancel()

		if !ok {
			return false
		}
		if acked {
			return true
		}

		w.sub.log.Debug("kafka message nacked, redelivering",
			"topic", r.Topic, "partition", r.Partition, "offset", r.Offset)

		if !sleepCtx(w.ctx, w.sub.cfg.NackResendSleep) {
			return false
		}
	}
}

// attempt hands msg to the output channel and waits for the verdict.
func (w *partitionWorker) attempt(msg *message.Message) (acked, ok bool) {
	select {
	case w.sub.out <- msg:
	case <-w.ctx.Done():
		return false, false
	}

	select {
	case <-msg.Acked():
		return true, true
	case <-msg.Nacked():
		return false, true
	case <-w.ctx.Done():
		return false, false
	}
}

// stop cancels the worker and waits for it to return. If the partition was
// paused it is resumed, because the client keeps pauses across rebalances
// and a later reassignment would otherwise never fetch.
func (w *partitionWorker) stop() {
	w.cancel()
	<-w.done

	w.mu.Lock()
	defer w.mu.Unlock()
	if w.paused {
		w.paused = false
		w.sub.cl.ResumeFetchPartitions(w.partitions())
	}
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}

	t := time.NewTimer(d)
	defer t.Stop()

	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
