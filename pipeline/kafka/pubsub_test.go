package kafka_test

import (
	"testing"

	"github.com/scalora/scalora/pipeline/kafka/kafkatest"
)

// TestConformance runs Watermill's Pub/Sub suite (full size, not -short)
// on kfake. The features claimed, and why, are in kafkatest.Features.
func TestConformance(t *testing.T) {
	c := newCluster(t)
	kafkatest.RunConformance(t, c.ListenAddrs(), "conf-")
}
