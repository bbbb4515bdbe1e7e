-- Forecast error per host, model and horizon over the whole stored
-- history: mean absolute error, root mean squared error (CPU percentage
-- points) and the number of forecasts scored.
CREATE VIEW IF NOT EXISTS {db}.forecast_error_by_host AS
SELECT
    host,
    model,
    horizon,
    avg(abs_error)                       AS mae,
    sqrt(avg(abs_error * abs_error))     AS rmse,
    count()                              AS forecasts,
    min(ts)                              AS first_ts,
    max(ts)                              AS last_ts
FROM {db}.forecast_accuracy
GROUP BY host, model, horizon
