package kafka_test

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kfake"
)

// newCluster starts a one-broker kfake that creates topics on first use
// with four partitions, and closes it with the test.
func newCluster(t testing.TB, opts ...kfake.Opt) *kfake.Cluster {
	t.Helper()

	opts = append([]kfake.Opt{
		kfake.NumBrokers(1),
		kfake.AllowAutoTopicCreation(),
		kfake.DefaultNumPartitions(4),
	}, opts...)

	c, err := kfake.NewCluster(opts...)
	if err != nil {
		t.Fatalf("start kfake: %v", err)
	}
	t.Cleanup(c.Close)

	return c
}
