// Package schemas holds the messages that cross Scalora's boundaries: the
// CPU sample users send, the records the stages produce, and the ClickHouse
// DDL that stores them. The JSON Schema of a sample is sample.schema.json in
// this folder; the DDL files are under sql/.
//
// Every record written to Kafka or to the store has a deterministic natural
// key (documented on each type) so that a replay after a crash overwrites
// instead of duplicating.
package schemas
