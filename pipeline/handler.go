package pipeline

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"

	"github.com/scalora/scalora/pipeline/kafka"
	"github.com/scalora/scalora/pipeline/store"
	"github.com/scalora/scalora/schemas"
)

// ReasonMetadata is the metadata key (a Kafka header on the dead-letter
// topic) holding the short reason a message was rejected, one of the
// schemas.Reason* values or "panic". The full error is under Watermill's
// "reason_poisoned" key.
const ReasonMetadata = "scalora_reason"

// Metadata keys (Kafka headers on the dead-letter topic) giving where a
// rejected message was read: its topic, partition and offset.
const (
	SourceTopicMetadata     = "scalora_source_topic"
	SourcePartitionMetadata = "scalora_source_partition"
	SourceOffsetMetadata    = "scalora_source_offset"
)

// reasonPanic marks input whose processing panicked.
const reasonPanic = "panic"

// Handler is the router handler of the samples topic: decode, run the
// stage chain, hand the records to the Outbox.
type Handler struct {
	proc    *Processor
	outbox  *Outbox
	limits  schemas.Limits
	batches sync.Pool
}

// NewHandler returns a Handler. It is safe for concurrent use.
func NewHandler(proc *Processor, outbox *Outbox, limits schemas.Limits) *Handler {
	h := &Handler{proc: proc, outbox: outbox, limits: limits}
	h.batches.New = func() any { return new(store.Batch) }
	return h
}

// Handle processes one input message. Input that can never be processed is
// returned as a rejection, which the dead-letter middleware routes to the
// dead-letter topic; any other error nacks the message for redelivery.
//
// Known gap: a sample whose processing fails after the windower applied it
// (only a cost error can: a group the price catalog cannot price, which
// start-up and group updates refuse) is nacked, and its redelivery is then
// skipped as replayed, so the records of the steps it closed are lost.
func (h *Handler) Handle(msg *message.Message) error {
	s, err := schemas.DecodeSample(msg.Payload, h.limits)
	if err != nil {
		return h.reject(msg, err)
	}

	pos, fromKafka := kafka.PositionOf(msg)
	if fromKafka {
		s.Seq, s.Partition = pos.Offset+1, pos.Partition
	}

	b := h.batches.Get().(*store.Batch)
	defer func() {
		b.Reset()
		h.batches.Put(b)
	}()

	var rejected error
	err = h.outbox.Produce(msg.Context(), b, func(b *store.Batch) error {
		rejected = h.proc.Process(s, b)
		if rejected == nil && fromKafka && b.Len() > 0 {
			b.Produced = append(b.Produced, pos.Timestamp)
			if len(b.Decisions) > 0 {
				h.proc.metrics.toDecide.Observe(time.Since(pos.Timestamp).Seconds())
			}
		}
		return rejected
	})
	switch {
	case rejected != nil:
		return h.reject(msg, rejected)
	case err != nil:
		return fmt.Errorf("hand records to outbox: %w", err)
	}
	return nil
}

func (h *Handler) reject(msg *message.Message, err error) error {
	var se *schemas.SampleError
	if !errors.As(err, &se) {
		return err
	}
	msg.Metadata.Set(ReasonMetadata, se.Reason)
	if pos, ok := kafka.PositionOf(msg); ok {
		msg.Metadata.Set(SourceTopicMetadata, pos.Topic)
		msg.Metadata.Set(SourcePartitionMetadata, strconv.FormatInt(int64(pos.Partition), 10))
		msg.Metadata.Set(SourceOffsetMetadata, strconv.FormatInt(pos.Offset, 10))
	}
	h.proc.metrics.rejected.WithLabelValues(se.Reason).Inc()
	return err
}

// isDeadLetter tells the dead-letter middleware which errors are final:
// invalid samples and panics. Everything else is retried.
func isDeadLetter(err error) bool {
	var se *schemas.SampleError
	return errors.As(err, &se) || errors.As(err, new(middleware.RecoveredPanicError))
}
