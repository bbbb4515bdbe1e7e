-- Hourly CPU per host (replaces the view of 0010_steps_hourly.sql, which
-- read only the raw steps and so lost every hour past the steps TTL).
-- Each (host, hour) comes from whichever source counts more steps: the
-- live aggregation of steps FINAL, or steps_hourly_store (refreshed
-- periodically, kept 2 years), the live one on a tie. So an hour reads
-- live while its steps are kept (fresh to the last closed step), and
-- from the stored copy once the TTL has removed some or all of its steps.
-- An hour never refreshed before its steps expired is lost: the refresh
-- must run more often than the TTL (it runs every few minutes).
-- group is the host's group at its last step in the hour.
CREATE OR REPLACE VIEW {db}.steps_hourly AS
SELECT
    host,
    argMax(g, k)        AS group,
    hour,
    argMax(a_avg, k)    AS avg_cpu,
    argMax(a_max, k)    AS max_cpu,
    argMax(a_min, k)    AS min_cpu,
    argMax(a_steps, k)  AS steps,
    argMax(a_filled, k) AS filled_steps
FROM
(
    SELECT
        host,
        argMax(group, ts)                        AS g,
        toStartOfHour(toDateTime(ts, 'UTC'))     AS hour,
        avg(cpu)                                 AS a_avg,
        max(cpu)                                 AS a_max,
        min(cpu)                                 AS a_min,
        count()                                  AS a_steps,
        countIf(filled)                          AS a_filled,
        (count(), 1)                             AS k
    FROM {db}.steps FINAL
    GROUP BY host, hour
    UNION ALL
    SELECT host, group AS g, hour, avg_cpu AS a_avg, max_cpu AS a_max, min_cpu AS a_min,
           steps AS a_steps, filled_steps AS a_filled, (steps, 0) AS k
    FROM {db}.steps_hourly_store FINAL
)
GROUP BY host, hour
