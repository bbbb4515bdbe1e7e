-- The anomaly score of a host's closed window (schemas.Anomaly).
-- Natural key (host, ts).
CREATE TABLE IF NOT EXISTS {db}.anomalies
(
    host        LowCardinality(String),
    group       LowCardinality(String),
    ts          DateTime64(3, 'UTC'),
    score       Float64,
    anomalous   Bool,
    kind        LowCardinality(String),
    explanation String,
    inserted_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(inserted_at)
PARTITION BY toYYYYMM(ts)
ORDER BY (host, ts)
