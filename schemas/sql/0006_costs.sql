-- The money side of a decision for one step (schemas.Cost).
-- Natural key (group, ts). Costs are dollars over that one step.
CREATE TABLE IF NOT EXISTS {db}.costs
(
    group             LowCardinality(String),
    ts                DateTime64(3, 'UTC'),
    provider          LowCardinality(String),
    region            LowCardinality(String),
    instance_type     LowCardinality(String),
    price_per_hour    Float64,
    step_seconds      Int64,
    static_instances  Int32,
    decided_instances Int32,
    static_cost       Float64,
    decided_cost      Float64,
    savings           Float64,
    inserted_at       DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(inserted_at)
PARTITION BY toYYYYMM(ts)
ORDER BY (group, ts)
