package kafka

import (
	"context"
	"testing"

	"github.com/ThreeDotsLabs/watermill/message"
)

func TestRecordRoundTripKeepsUUIDMetadataAndPayload(t *testing.T) {
	msg := message.NewMessage("uuid-1", []byte("payload"))
	msg.Metadata.Set(KeyMetadata, "host-7")
	msg.Metadata.Set("source", "nab")

	r := toRecord("samples", msg)

	if string(r.Key) != "host-7" {
		t.Errorf("key = %q, want the partition_key metadata", r.Key)
	}
	if r.Topic != "samples" {
		t.Errorf("topic = %q", r.Topic)
	}

	got := toMessage(context.Background(), r)

	if got.UUID != "uuid-1" || string(got.Payload) != "payload" {
		t.Errorf("got uuid %q payload %q", got.UUID, got.Payload)
	}
	if got.Metadata.Get("source") != "nab" || got.Metadata.Get(KeyMetadata) != "host-7" {
		t.Errorf("metadata not restored: %v", got.Metadata)
	}
	if _, ok := got.Metadata[UUIDHeader]; ok {
		t.Errorf("uuid header leaked into metadata: %v", got.Metadata)
	}
}

func TestRecordKeyFallsBackToUUIDWithoutPartitionKey(t *testing.T) {
	r := toRecord("t", message.NewMessage("uuid-2", nil))

	if string(r.Key) != "uuid-2" {
		t.Errorf("key = %q, want the message uuid", r.Key)
	}
}
