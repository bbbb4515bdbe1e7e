-- Hourly CPU per host, from deduplicated steps.
-- The rollups are plain views aggregating steps FINAL at query time, not
-- materialized views: an insert-triggered materialized view sees each
-- inserted block, so a step replayed after a crash (at-least-once
-- delivery) would be counted twice in its sums and averages, while FINAL
-- keeps one row per (host, ts). The price is that they reach back only as
-- far as steps are kept (90 days by default, see scalora migrate --steps-ttl).
-- Keeping rollups longer than steps needs stored rollups refreshed from
-- FINAL (a refreshable materialized view into a ReplacingMergeTree keyed
-- by host and hour), which is not done yet.
CREATE VIEW IF NOT EXISTS {db}.steps_hourly AS
SELECT
    host,
    group,
    toStartOfHour(ts)  AS hour,
    avg(cpu)           AS avg_cpu,
    max(cpu)           AS max_cpu,
    min(cpu)           AS min_cpu,
    count()            AS steps,
    countIf(filled)    AS filled_steps
FROM {db}.steps FINAL
GROUP BY host, group, hour
