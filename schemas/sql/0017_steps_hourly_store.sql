-- Hourly CPU per host, stored: the long-lived copy of the steps_hourly
-- rollup, kept after the raw steps are gone (2 years against 90 days).
-- Filled by package pipeline/store/rollup (Refresh), which recomputes the
-- recent hours from steps FINAL and inserts them: a recomputed hour
-- replaces the earlier row (latest version wins once parts merge, or at
-- once with FINAL), so replayed steps count once here too.
-- Natural key (host, hour). group is the host's group at its last step in
-- the hour. The steps_hourly view reads this table and the live steps.
CREATE TABLE IF NOT EXISTS {db}.steps_hourly_store
(
    host         LowCardinality(String),
    group        LowCardinality(String),
    hour         DateTime('UTC'),
    avg_cpu      Float64,
    max_cpu      Float64,
    min_cpu      Float64,
    steps        UInt64,
    filled_steps UInt64,
    version      DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(hour)
ORDER BY (host, hour)
TTL hour + toIntervalDay(730)
