// Package kafka is Scalora's Kafka transport: a Watermill message.Publisher
// and message.Subscriber built on franz-go, a topic helper, and an embedded
// in-process broker for the default no-config mode.
//
// Delivery is at-least-once. A subscription is one consumer-group member;
// each assigned partition is served by its own goroutine, which hands the
// next record to the output channel only after the previous one was Acked
// (or redelivers it after a Nack), so order holds per partition and hence
// per partition key. Acked records are marked and their offsets committed
// every CommitInterval, on revocation and on Close, each time after the
// SubscriberConfig.BeforeCommit hook succeeded: a pipeline that batches its
// writes flushes them in that hook, so a committed offset never runs ahead
// of the data it stands for. A lost partition's marks are dropped
// uncommitted, and a commit that was already under way when it was lost
// leaves it out, even if the partition came back meanwhile: the offset of a
// previous ownership never lands on top of the next one's.
package kafka
