-- Daily money per group, provider, region and instance type, from
-- deduplicated costs. The savings report sums its rows over a period.
CREATE VIEW IF NOT EXISTS {db}.costs_daily AS
SELECT
    group,
    provider,
    region,
    instance_type,
    toDate(ts)             AS day,
    sum(static_cost)       AS static_cost,
    sum(decided_cost)      AS decided_cost,
    sum(savings)           AS savings,
    avg(static_instances)  AS avg_static_instances,
    avg(decided_instances) AS avg_decided_instances,
    count()                AS steps
FROM {db}.costs FINAL
GROUP BY group, provider, region, instance_type, day
