-- Savings per group, over deduplicated costs (FINAL, so a replayed step
-- counts once). A group that changed provider or instance type has one row
-- per (provider, instance_type).
CREATE VIEW IF NOT EXISTS {db}.savings_by_group AS
SELECT
    group,
    provider,
    instance_type,
    count()           AS steps,
    sum(static_cost)  AS static_cost,
    sum(decided_cost) AS decided_cost,
    sum(savings)      AS savings,
    min(ts)           AS first_ts,
    max(ts)           AS last_ts
FROM {db}.costs FINAL
GROUP BY group, provider, instance_type
