-- Daily CPU per host (replaces the view of 0011_steps_daily.sql): each
-- (host, day) from the live steps or from steps_daily_store, whichever
-- counts more steps (see 0019_steps_hourly_merged.sql).
CREATE OR REPLACE VIEW {db}.steps_daily AS
SELECT
    host,
    argMax(g, k)        AS group,
    day,
    argMax(a_avg, k)    AS avg_cpu,
    argMax(a_max, k)    AS max_cpu,
    argMax(a_p95, k)    AS p95_cpu,
    argMax(a_steps, k)  AS steps,
    argMax(a_filled, k) AS filled_steps
FROM
(
    SELECT
        host,
        argMax(group, ts)    AS g,
        toDate(ts)           AS day,
        avg(cpu)             AS a_avg,
        max(cpu)             AS a_max,
        quantile(0.95)(cpu)  AS a_p95,
        count()              AS a_steps,
        countIf(filled)      AS a_filled,
        (count(), 1)         AS k
    FROM {db}.steps FINAL
    GROUP BY host, day
    UNION ALL
    SELECT host, group AS g, day, avg_cpu AS a_avg, max_cpu AS a_max, p95_cpu AS a_p95,
           steps AS a_steps, filled_steps AS a_filled, (steps, 0) AS k
    FROM {db}.steps_daily_store FINAL
)
GROUP BY host, day
