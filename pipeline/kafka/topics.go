package kafka

import (
	"context"
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// EnsureTopics creates the topics that do not exist yet, each with the
// given partition count and the broker's default replication factor. A
// topic that already exists is left as it is, even if its partition count
// differs.
func EnsureTopics(ctx context.Context, cfg Config, partitions int32, topics ...string) error {
	cfg.SetDefaults()
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("ensure topics: %w", err)
	}

	opts, err := cfg.clientOpts()
	if err != nil {
		return fmt.Errorf("ensure topics: %w", err)
	}

	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return fmt.Errorf("ensure topics: client: %w", err)
	}
	defer cl.Close()

	resps, err := kadm.NewClient(cl).CreateTopics(ctx, partitions, -1, nil, topics...)
	if err != nil {
		return fmt.Errorf("ensure topics: create: %w", err)
	}

	for _, r := range resps.Sorted() {
		if r.Err != nil && !errors.Is(r.Err, kerr.TopicAlreadyExists) {
			return fmt.Errorf("ensure topic %s: %w", r.Topic, r.Err)
		}
	}

	return nil
}
