-- The forecast made when a host's step closed (schemas.Forecast), one row
-- per horizon: value is the forecast for target_ts = ts + horizon steps.
-- Natural key (host, ts, horizon). A forecast with no values stores no row,
-- and a replay with fewer horizons leaves the earlier write's extra ones.
CREATE TABLE IF NOT EXISTS {db}.forecasts
(
    host         LowCardinality(String),
    group        LowCardinality(String),
    ts           DateTime64(3, 'UTC') CODEC(Delta, ZSTD),
    step_seconds Int64,
    horizon      UInt16,
    value        Float64 CODEC(Gorilla, ZSTD),
    model        LowCardinality(String),
    ready        Bool,
    reason       String,
    target_ts    DateTime64(3, 'UTC') ALIAS ts + toIntervalSecond(step_seconds * horizon),
    inserted_at  DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(inserted_at)
PARTITION BY toYYYYMM(ts)
ORDER BY (host, ts, horizon)
