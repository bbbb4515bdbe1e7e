-- The window stage's state of each host (schemas.HostState), written after
-- the rows it produced, so that a restarted process, or the member a Kafka
-- partition moves to, resumes the host within one step.
-- Natural key host: the row with the latest updated wins (FINAL reads it at
-- once). state is the JSON of schemas.HostState. source and partition say
-- where the host's samples are read, and select the hosts of a partition.
-- A host silent for 30 days loses its state and starts afresh.
CREATE TABLE IF NOT EXISTS {db}.host_state
(
    host      String,
    source    LowCardinality(String),
    partition Int32,
    seq       Int64,
    updated   DateTime64(6, 'UTC'),
    state     String CODEC(ZSTD)
)
ENGINE = ReplacingMergeTree(updated)
ORDER BY host
TTL toDateTime(updated) + toIntervalDay(30)
