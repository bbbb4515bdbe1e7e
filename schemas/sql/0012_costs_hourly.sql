-- Hourly money per group, provider, region and instance type, from
-- deduplicated costs (a replayed step counts once, see steps_hourly).
-- Costs have no TTL, so this view covers the whole history.
CREATE VIEW IF NOT EXISTS {db}.costs_hourly AS
SELECT
    group,
    provider,
    region,
    instance_type,
    toStartOfHour(ts)      AS hour,
    sum(static_cost)       AS static_cost,
    sum(decided_cost)      AS decided_cost,
    sum(savings)           AS savings,
    avg(static_instances)  AS avg_static_instances,
    avg(decided_instances) AS avg_decided_instances,
    count()                AS steps
FROM {db}.costs FINAL
GROUP BY group, provider, region, instance_type, hour
