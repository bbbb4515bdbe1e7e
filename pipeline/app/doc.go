// Package app assembles a whole Scalora process from a Config: Kafka (an
// external cluster or the embedded broker), the store, the stages, the
// router and the health endpoint; and runs it with an ordered shutdown.
// The scalora command, the demo and the integration tests all start the
// pipeline through it, so what they test is what runs.
package app
