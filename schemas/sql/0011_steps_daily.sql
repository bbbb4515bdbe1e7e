-- Daily CPU per host, from deduplicated steps (see steps_hourly for why
-- this is a view over FINAL).
CREATE VIEW IF NOT EXISTS {db}.steps_daily AS
SELECT
    host,
    group,
    toDate(ts)         AS day,
    avg(cpu)           AS avg_cpu,
    max(cpu)           AS max_cpu,
    quantile(0.95)(cpu) AS p95_cpu,
    count()            AS steps,
    countIf(filled)    AS filled_steps
FROM {db}.steps FINAL
GROUP BY host, group, day
