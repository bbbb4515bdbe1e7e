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
package pipeline
