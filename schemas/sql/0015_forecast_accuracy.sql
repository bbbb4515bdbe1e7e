-- Every forecast value whose target step is stored, next to the CPU that
-- step had: one row per (host, target ts, horizon). Deduplicated (FINAL on
-- both sides), computed at query time. Forecasts of steps not closed yet,
-- or of steps past the steps TTL, have no row.
CREATE VIEW IF NOT EXISTS {db}.forecast_accuracy AS
SELECT
    f.host                   AS host,
    f.group                  AS group,
    f.target                 AS ts,
    f.horizon                AS horizon,
    f.value                  AS forecast,
    s.cpu                    AS actual,
    abs(f.value - s.cpu)     AS abs_error,
    f.model                  AS model
FROM
(
    SELECT host, group, horizon, value, model,
           ts + toIntervalSecond(step_seconds * horizon) AS target
    FROM {db}.forecasts FINAL
    WHERE ready
) AS f
INNER JOIN
(
    SELECT host, ts, cpu FROM {db}.steps FINAL
) AS s ON f.host = s.host AND f.target = s.ts
