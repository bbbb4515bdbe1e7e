-- Daily CPU per host, stored: the long-lived copy of the steps_daily
-- rollup, kept 2 years after the raw steps are gone (see
-- steps_hourly_store for how it is filled and deduplicated).
-- Natural key (host, day).
CREATE TABLE IF NOT EXISTS {db}.steps_daily_store
(
    host         LowCardinality(String),
    group        LowCardinality(String),
    day          Date,
    avg_cpu      Float64,
    max_cpu      Float64,
    p95_cpu      Float64,
    steps        UInt64,
    filled_steps UInt64,
    version      DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(day)
ORDER BY (host, day)
TTL day + toIntervalDay(730)
