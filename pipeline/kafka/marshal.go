package kafka

import (
	"context"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/twmb/franz-go/pkg/kgo"
)

// KeyMetadata is the Watermill metadata key whose value becomes the Kafka
// record key, and so decides the partition: messages with the same key are
// delivered in publish order. Without it the message UUID is the key, which
// spreads messages over partitions with no order between them.
const KeyMetadata = "partition_key"

// UUIDHeader is the record header that carries the Watermill message UUID.
// Every other header is a metadata entry of the same name.
const UUIDHeader = "_watermill_message_uuid"

// toRecord converts a Watermill message. The payload is not copied: the
// caller must not change it until the record is acknowledged.
func toRecord(topic string, msg *message.Message) *kgo.Record {
	key := msg.Metadata.Get(KeyMetadata)
	if key == "" {
		key = msg.UUID
	}

	headers := make([]kgo.RecordHeader, 0, len(msg.Metadata)+1)
	headers = append(headers, kgo.RecordHeader{Key: UUIDHeader, Value: []byte(msg.UUID)})
	for k, v := range msg.Metadata {
		headers = append(headers, kgo.RecordHeader{Key: k, Value: []byte(v)})
	}

	return &kgo.Record{
		Topic:   topic,
		Key:     []byte(key),
		Value:   msg.Payload,
		Headers: headers,
	}
}

// toMessage converts a consumed record; the message shares the record's
// value bytes. A record without the UUID header (produced by another
// client) gets an empty UUID rather than a made-up one, so that a
// redelivery of it is not mistaken for a different message.
func toMessage(ctx context.Context, r *kgo.Record) *message.Message {
	msg := message.NewMessage("", r.Value)

	for _, h := range r.Headers {
		if h.Key == UUIDHeader {
			msg.UUID = string(h.Value)
			continue
		}
		msg.Metadata.Set(h.Key, string(h.Value))
	}

	msg.SetContext(ctx)
	return msg
}
