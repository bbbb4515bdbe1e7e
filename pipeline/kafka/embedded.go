package kafka

import (
	"fmt"

	"github.com/twmb/franz-go/pkg/kfake"
)

// Embedded is an in-process single-broker Kafka (franz-go's kfake) for
// running Scalora with no broker configured. Records, topics and committed
// group offsets are written to a data directory and reloaded when an
// Embedded is opened on the same directory again.
//
// It is not a real Kafka: it does not replicate, throttle or enforce
// quotas, and writes are synced to disk on segment roll and on Close, not
// per batch, so a crash (not a Close) can lose the last writes. It listens
// on 127.0.0.1 only; use Addrs for the address.
type Embedded struct {
	cluster *kfake.Cluster
}

// NewEmbedded starts the broker on dataDir (created if needed) and creates
// the topics with the given partition count. Topics reloaded from dataDir
// keep their partitions. Topics not listed are created on first use with
// the same partition count. Close it to flush the data.
func NewEmbedded(dataDir string, partitions int32, topics ...string) (*Embedded, error) {
	return NewEmbeddedOn(0, dataDir, partitions, topics...)
}

// NewEmbeddedOn is NewEmbedded listening on 127.0.0.1:port; port 0 picks a
// free port.
func NewEmbeddedOn(port int, dataDir string, partitions int32, topics ...string) (*Embedded, error) {
	opts := []kfake.Opt{
		kfake.NumBrokers(1),
		kfake.DataDir(dataDir),
		kfake.AllowAutoTopicCreation(),
		kfake.DefaultNumPartitions(int(partitions)),
	}
	if len(topics) > 0 {
		opts = append(opts, kfake.SeedTopics(partitions, topics...))
	}
	if port != 0 {
		opts = append(opts, kfake.Ports(port))
	}

	c, err := kfake.NewCluster(opts...)
	if err != nil {
		return nil, fmt.Errorf("embedded kafka on %s: %w", dataDir, err)
	}

	return &Embedded{cluster: c}, nil
}

// Addrs returns the broker addresses to put in Config.Brokers.
func (e *Embedded) Addrs() []string {
	return e.cluster.ListenAddrs()
}

// Close stops the broker and flushes its data to the data directory.
// Clients still connected see connection errors.
func (e *Embedded) Close() {
	e.cluster.Close()
}
