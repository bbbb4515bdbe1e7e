package integration

import (
	"crypto/rand"
	"encoding/hex"
	"testing"

	"github.com/scalora/scalora/pipeline/kafka/kafkatest"
)

// TestKafkaPubSubConformance runs Watermill's Pub/Sub suite against a real
// Apache Kafka broker. Topics and groups carry a random run prefix (and
// the suite's per-test UUIDs), so runs on a shared broker do not meet.
func TestKafkaPubSubConformance(t *testing.T) {
	brokers := kafkaBrokers(t)

	kafkatest.RunConformance(t, brokers, "scalora-it-"+randomSuffix(t)+"-")
}

func randomSuffix(t *testing.T) string {
	t.Helper()

	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("random suffix: %v", err)
	}
	return hex.EncodeToString(b)
}
