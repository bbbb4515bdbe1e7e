// Package pipeline wires Scalora's stages into a Watermill router fed by
// Kafka, and hands their results to the store and to the output topics.
//
// In-process hand-off: one router handler consumes the samples topic and
// runs the whole stage chain (window, forecast, anomaly, decision, cost) as
// plain function calls on typed values inside a Processor. Stages do not
// talk to each other through Watermill's gochannel: a hop there costs tens
// of microseconds and a serialisation, while a direct call costs nothing and
// keeps a host's state in one place. BenchmarkHandoff in this package
// measures both.
//
// Delivery: results are buffered in an Outbox. The Kafka subscriber commits
// an input offset only after the Outbox has flushed (store batch written,
// output records acknowledged) everything produced before it, so every
// output is delivered at least once; the store's idempotent writes absorb
// the replays.
//
// Parallelism and state: the Processor shards hosts by input partition;
// each shard has its own window, forecast and anomaly stages under its own
// lock, so partitions are processed in parallel, while the group stages
// (decision, cost, opportunity) are shared. Each host's window state is
// written to the store after the rows it produced and read back when its
// partition is assigned (after a restart or a rebalance), so a host keeps
// forecasting on its next step wherever its partition goes.
package pipeline
