-- One closed step of a host's aligned window (schemas.Step).
-- Natural key (host, ts): a replayed step replaces the stored one: the row
-- with the latest inserted_at wins once parts merge, or at once with FINAL.
-- Steps are dropped 90 days after their event time (ts), at the next merge.
-- Rows replayed from older traces are therefore kept only until that merge.
CREATE TABLE IF NOT EXISTS {db}.steps
(
    host        LowCardinality(String),
    group       LowCardinality(String),
    ts          DateTime64(3, 'UTC') CODEC(Delta, ZSTD),
    cpu         Float64 CODEC(Gorilla, ZSTD),
    samples     UInt32,
    filled      Bool,
    inserted_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(inserted_at)
PARTITION BY toYYYYMM(ts)
ORDER BY (host, ts)
TTL toDateTime(ts) + toIntervalDay(90)
