-- The error of one forecast value once its target step has closed: host,
-- target step ts, horizon (steps ahead), forecast and actual CPU percent.
-- Natural key (host, ts, horizon).
-- The pipeline does not fill this table yet: it is meant for a live
-- evaluator writing errors as steps close, for stores where the join in
-- the forecast_accuracy view (forecasts x steps, computed at query time,
-- which is what the reports and dashboards read today) grows too costly.
-- Kept 90 days like steps.
CREATE TABLE IF NOT EXISTS {db}.forecast_errors
(
    host        LowCardinality(String),
    group       LowCardinality(String),
    ts          DateTime64(3, 'UTC') CODEC(Delta, ZSTD),
    horizon     UInt16,
    forecast    Float64,
    actual      Float64,
    abs_error   Float64,
    model       LowCardinality(String),
    inserted_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(inserted_at)
PARTITION BY toYYYYMM(ts)
ORDER BY (host, ts, horizon)
TTL toDateTime(ts) + toIntervalDay(90)
