-- The scaling recommendation for a group at a step (schemas.Decision).
-- Natural key (group, ts).
CREATE TABLE IF NOT EXISTS {db}.decisions
(
    group         LowCardinality(String),
    ts            DateTime64(3, 'UTC'),
    action        LowCardinality(String),
    current       Int32,
    target        Int32,
    demand_now    Float64,
    forecast_peak Float64,
    horizon_steps Int32,
    model         LowCardinality(String),
    mode          LowCardinality(String),
    reason        String,
    inserted_at   DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(inserted_at)
PARTITION BY toYYYYMM(ts)
ORDER BY (group, ts)
