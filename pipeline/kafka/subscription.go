package kafka

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// subscription is what one Subscribe call runs: a consumer-group member on
// one topic with its own franz-go client, a poll loop, a worker per
// assigned partition and a commit loop.
type subscription struct {
	cfg     SubscriberConfig
	topic   string
	cl      *kgo.Client
	log     *slog.Logger
	metrics *metrics
	marks   *offsetMarks
	out     chan *message.Message

	ctx    context.Context // ends the subscription
	cancel context.CancelFunc

	mu      sync.Mutex
	workers map[int32]*partitionWorker
	stopped bool

	// commitMu serialises commit rounds (ticker, revocation, shutdown), so
	// BeforeCommit never runs twice at once and a revocation waits for a
	// round in progress rather than racing it.
	commitMu sync.Mutex

	done chan struct{}
}

func (s *subscription) clientOpts(base []kgo.Opt) []kgo.Opt {
	reset := kgo.NewOffset().AtStart()
	if s.cfg.InitialOffset == OffsetLatest {
		reset = kgo.NewOffset().AtEnd()
	}

	if s.cfg.InstanceID != "" {
		base = append(base, kgo.InstanceID(s.cfg.InstanceID))
	}
	return append(base,
		kgo.WithLogger(kgoLogger{s.log}),
		kgo.ConsumerGroup(s.cfg.ConsumerGroup),
		kgo.ConsumeTopics(s.topic),
		kgo.ConsumeResetOffset(reset),
		kgo.DisableAutoCommit(),
		// Callbacks and polls exclude each other, so a revocation never
		// runs while the poll loop hands out records of the revoked
		// partitions. Polls are short (the loop only queues records), so
		// blocking a rebalance costs little.
		kgo.BlockRebalanceOnPoll(),
		kgo.OnPartitionsRevoked(s.revoked),
		kgo.OnPartitionsLost(s.lost),
		kgo.HeartbeatInterval(s.cfg.HeartbeatInterval),
		kgo.SessionTimeout(s.cfg.SessionTimeout),
		kgo.RebalanceTimeout(s.cfg.RebalanceTimeout),
		kgo.FetchMaxWait(s.cfg.FetchMaxWait),
	)
}

// run polls until the subscription ends, then shuts down in order: workers
// first (nothing is acked after that), a final commit, then the client,
// whose Close leaves the group, and last the output channel.
func (s *subscription) run() {
	defer close(s.done)

	var commitWG sync.WaitGroup
	commitWG.Add(1)
	go func() {
		defer commitWG.Done()
		s.commitLoop()
	}()

	s.pollLoop()

	s.mu.Lock()
	s.stopped = true
	workers := s.workers
	s.workers = nil
	s.mu.Unlock()

	for _, w := range workers {
		w.stop()
	}

	commitWG.Wait()
	s.commit(nil, "close")

	s.cl.Close()
	close(s.out)

	s.log.Info("kafka subscription closed", "topic", s.topic, "group", s.cfg.ConsumerGroup)
}

func (s *subscription) pollLoop() {
	for {
		fetches := s.cl.PollRecords(s.ctx, s.cfg.MaxPollRecords)
		if s.ctx.Err() != nil || fetches.IsClientClosed() {
			s.cl.AllowRebalance()
			return
		}

		fetches.EachError(func(topic string, p int32, err error) {
			if s.ctx.Err() == nil {
				s.log.Warn("kafka fetch failed", "topic", topic, "partition", p, "err", err)
			}
		})

		fetches.EachPartition(func(p kgo.FetchTopicPartition) {
			if len(p.Records) == 0 {
				return
			}
			if w := s.worker(p.Partition); w != nil {
				w.push(p.Records)
			}
		})

		s.cl.AllowRebalance()
	}
}

// worker returns the partition's worker, starting it on first records.
// Workers start lazily rather than in an OnPartitionsAssigned callback:
// with BlockRebalanceOnPoll a poll never returns records of a partition
// that is not assigned, and skipping that callback keeps assignment from
// waiting on the poll loop.
func (s *subscription) worker(partition int32) *partitionWorker {
	s.mu.Lock()
	defer s.mu.Unlock()

	if s.stopped {
		return nil
	}
	if w, ok := s.workers[partition]; ok {
		return w
	}

	w := newPartitionWorker(s, s.topic, partition)
	s.workers[partition] = w
	go w.run()

	return w
}

// stopWorkers stops the workers of the given partitions and waits for them.
func (s *subscription) stopWorkers(parts map[string][]int32) {
	s.mu.Lock()
	var stopping []*partitionWorker
	for _, p := range parts[s.topic] {
		if w, ok := s.workers[p]; ok {
			stopping = append(stopping, w)
			delete(s.workers, p)
		}
	}
	s.mu.Unlock()

	for _, w := range stopping {
		w.stop()
	}
}

// revoked runs before the partitions go to another member: deliveries stop,
// what was acked is committed (after BeforeCommit), and the marks are
// dropped so no later round commits them.
func (s *subscription) revoked(ctx context.Context, _ *kgo.Client, parts map[string][]int32) {
	s.stopWorkers(parts)
	s.commit(parts, "revoke")
	s.marks.forget(parts)
}

// lost partitions already belong to someone else (session expired), so
// committing them could rewind the new owner: their marks are dropped.
func (s *subscription) lost(_ context.Context, _ *kgo.Client, parts map[string][]int32) {
	s.stopWorkers(parts)
	s.marks.forget(parts)
	s.log.Warn("kafka partitions lost, acked offsets not committed",
		"topic", s.topic, "partitions", parts[s.topic])
}

func (s *subscription) commitLoop() {
	t := time.NewTicker(s.cfg.CommitInterval)
	defer t.Stop()

	for {
		select {
		case <-t.C:
			s.commit(nil, "interval")
		case <-s.ctx.Done():
			return
		}
	}
}

// commit commits the dirty marks (of only, or all when only is nil) after
// BeforeCommit. When either fails nothing is committed and the marks stay
// dirty for the next round. It uses its own timeout rather than the
// subscription context, because the final commits run after that ended.
func (s *subscription) commit(only map[string][]int32, reason string) {
	s.commitMu.Lock()
	defer s.commitMu.Unlock()

	taken := s.marks.dirty(only)
	if len(taken) == 0 {
		return
	}

	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.CommitTimeout)
	defer cancel()

	offsets, err := s.doCommit(ctx, taken)
	if err != nil {
		s.metrics.addCommit(err)
		s.log.Warn("kafka commit skipped, retrying next round",
			"topic", s.topic, "group", s.cfg.ConsumerGroup, "reason", reason, "err", err)
		return
	}

	s.marks.committed(offsets)
	s.metrics.addCommit(nil)
	s.log.Debug("kafka offsets committed",
		"topic", s.topic, "reason", reason, "partitions", countOffsets(offsets))
}

// doCommit runs BeforeCommit, then commits the taken marks of the
// partitions still owned in the life they were taken in, and returns
// those offsets.
func (s *subscription) doCommit(ctx context.Context, taken takenMarks) (map[string]map[int32]kgo.EpochOffset, error) {
	if s.cfg.BeforeCommit != nil {
		if err := s.cfg.BeforeCommit(ctx); err != nil {
			return nil, fmt.Errorf("before commit: %w", err)
		}
	}

	offsets := s.marks.owned(taken)
	if len(offsets) == 0 {
		return offsets, nil
	}

	var commitErr error
	s.cl.CommitOffsetsSync(ctx, offsets, func(_ *kgo.Client, _ *kmsg.OffsetCommitRequest, resp *kmsg.OffsetCommitResponse, err error) {
		if err != nil {
			commitErr = err
			return
		}
		for _, t := range resp.Topics {
			for _, p := range t.Partitions {
				if err := kerr.ErrorForCode(p.ErrorCode); err != nil && commitErr == nil {
					commitErr = fmt.Errorf("partition %d: %w", p.Partition, err)
				}
			}
		}
	})
	if commitErr != nil {
		return nil, fmt.Errorf("commit offsets: %w", commitErr)
	}
	return offsets, nil
}
