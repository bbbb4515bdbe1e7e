package kafka

import (
	"context"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
)

// Position is where a consumed message sits in Kafka.
type Position struct {
	Topic     string
	Partition int32
	Offset    int64
	// Timestamp is the record's timestamp: when the producer created it,
	// unless the topic is set to log-append time.
	Timestamp time.Time
}

type positionKey struct{}

// PositionOf returns the Kafka position of a message from a Subscriber;
// ok is false for any other message.
func PositionOf(msg *message.Message) (pos Position, ok bool) {
	pos, ok = msg.Context().Value(positionKey{}).(Position)
	return pos, ok
}

func withPosition(ctx context.Context, pos Position) context.Context {
	return context.WithValue(ctx, positionKey{}, pos)
}
