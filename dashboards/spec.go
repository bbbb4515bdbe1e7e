package dashboards

// Board is one dashboard: its file, its panels and what their queries
// return. The generator turns a Board into Grafana JSON; the tests run
// every Target and Annotation on chDB and compare the columns.
type Board struct {
	// File is the JSON file's name in dashboards/.
	File        string
	UID         string
	Title       string
	Description string
	// HostVariable adds a single-value $host variable listing the hosts
	// that have steps.
	HostVariable bool
	Annotations  []Annotation
	Panels       []Panel
}

// PanelKind is a Grafana visualisation.
type PanelKind string

// Panel kinds the boards use.
const (
	TimeSeries PanelKind = "timeseries"
	Table      PanelKind = "table"
	BarChart   PanelKind = "barchart"
	Stat       PanelKind = "stat"
	Text       PanelKind = "text"
)

// Panel is one panel. Text panels have Markdown and no targets.
type Panel struct {
	Title       string
	Description string
	Kind        PanelKind
	Unit        string
	Width       uint32 // of 24 columns
	Height      uint32
	Targets     []Target
	Markdown    string
}

// Target is one query of a panel.
type Target struct {
	RefID  string
	Format Format
	// SQL uses the plugin's macros ($__timeFilter, $__timeInterval,
	// $__fromTime, $__toTime, $__interval_s) and the board's variables.
	SQL string
	// Columns are the result's column names, in order, that the panel
	// reads; the tests require exactly these.
	Columns []string
}

// Annotation is an annotation query: rows with time and text (and tags)
// drawn on every time series panel of the board.
type Annotation struct {
	Name    string
	Color   string
	SQL     string
	Columns []string
}

// Boards returns the dashboards, in a fixed order. They read the database
// scalora (the default; a store configured with another database needs
// the name changed here and the JSON regenerated).
func Boards() []Board {
	return []Board{live(), savings(), modelQuality(), pipelineHealth()}
}

func live() Board {
	return Board{
		File:         "live.json",
		UID:          "scalora-live",
		Title:        "Scalora / Live monitoring",
		Description:  "CPU against forecast per host, scaling decisions per group, anomalies as annotations.",
		HostVariable: true,
		Annotations: []Annotation{{
			Name:  "Anomalies",
			Color: "red",
			SQL: `SELECT ts AS time, concat(kind, ': ', explanation, ' (score ', toString(round(score, 2)), ')') AS text, host AS tags
FROM scalora.anomalies FINAL
WHERE anomalous AND host = '${host}' AND $__timeFilter(ts)
ORDER BY time`,
			Columns: []string{"time", "text", "tags"},
		}},
		Panels: []Panel{
			{
				Title:       "CPU and forecast: ${host}",
				Description: "Measured CPU per step; the forecast made one step earlier for the same step; the latest forecast over its whole horizon.",
				Kind:        TimeSeries, Unit: "percent", Width: 24, Height: 10,
				Targets: []Target{
					{RefID: "A", Format: FormatTimeSeries, Columns: []string{"time", "cpu"}, SQL: `SELECT ts AS time, cpu
FROM scalora.steps FINAL
WHERE host = '${host}' AND $__timeFilter(ts)
ORDER BY time`},
					{RefID: "B", Format: FormatTimeSeries, Columns: []string{"time", "forecast_1_step"}, SQL: `SELECT ts + toIntervalSecond(step_seconds) AS time, value AS forecast_1_step
FROM scalora.forecasts FINAL
WHERE host = '${host}' AND horizon = 1 AND ready AND $__timeFilter(ts)
ORDER BY time`},
					{RefID: "C", Format: FormatTimeSeries, Columns: []string{"time", "latest_forecast"}, SQL: `SELECT target_ts AS time, value AS latest_forecast
FROM scalora.forecasts FINAL
WHERE host = '${host}' AND ts = (SELECT max(ts) FROM scalora.forecasts WHERE host = '${host}' AND ts <= $__toTime)
ORDER BY time`},
				},
			},
			{
				Title:       "Instances per group: current and decided",
				Description: "Each group's instance count when the decision was made and the count it decided.",
				Kind:        TimeSeries, Unit: "short", Width: 12, Height: 8,
				Targets: []Target{{RefID: "A", Format: FormatTimeSeries, Columns: []string{"time", "group", "current", "target"}, SQL: `SELECT ts AS time, group, current, target
FROM scalora.decisions FINAL
WHERE $__timeFilter(ts)
ORDER BY time`}},
			},
			{
				Title:       "Anomaly score: ${host}",
				Description: "Isolation Forest score of the host's window; anomalous steps are also drawn as annotations.",
				Kind:        TimeSeries, Unit: "none", Width: 12, Height: 8,
				Targets: []Target{{RefID: "A", Format: FormatTimeSeries, Columns: []string{"time", "score"}, SQL: `SELECT ts AS time, score
FROM scalora.anomalies FINAL
WHERE host = '${host}' AND $__timeFilter(ts)
ORDER BY time`}},
			},
			{
				Title:       "Scaling decisions",
				Description: "Every decision that changed capacity in the range, newest first.",
				Kind:        Table, Width: 24, Height: 8,
				Targets: []Target{{RefID: "A", Format: FormatTable,
					Columns: []string{"time", "group", "action", "current", "target", "forecast_peak", "mode", "reason"},
					SQL: `SELECT ts AS time, group, action, current, target, round(forecast_peak, 2) AS forecast_peak, mode, reason
FROM scalora.decisions FINAL
WHERE action != 'maintain' AND $__timeFilter(ts)
ORDER BY time DESC
LIMIT 200`}},
			},
		},
	}
}

func savings() Board {
	return Board{
		File:        "savings.json",
		UID:         "scalora-savings",
		Title:       "Scalora / Savings",
		Description: "Money saved against each group's static configuration, by group and provider, and the opportunities missed.",
		Panels: []Panel{
			{
				Title: "Saved in range", Kind: Stat, Unit: "currencyUSD", Width: 6, Height: 6,
				Targets: []Target{{RefID: "A", Format: FormatTable, Columns: []string{"savings_usd"}, SQL: `SELECT sum(savings) AS savings_usd
FROM scalora.costs FINAL
WHERE $__timeFilter(ts)`}},
			},
			{
				Title:       "Cumulative savings",
				Description: "Running total of the savings from the start of the range, per hour.",
				Kind:        TimeSeries, Unit: "currencyUSD", Width: 18, Height: 6,
				Targets: []Target{{RefID: "A", Format: FormatTimeSeries, Columns: []string{"time", "cumulative_usd"}, SQL: `SELECT hour AS time, sum(sum(savings)) OVER (ORDER BY hour) AS cumulative_usd
FROM scalora.costs_hourly
WHERE $__timeFilter(hour)
GROUP BY hour
ORDER BY time`}},
			},
			{
				Title:       "Static against decided cost",
				Description: "Dollars per interval: what the static configuration would have cost and what the decided capacity cost.",
				Kind:        TimeSeries, Unit: "currencyUSD", Width: 24, Height: 8,
				Targets: []Target{{RefID: "A", Format: FormatTimeSeries, Columns: []string{"time", "static_usd", "decided_usd"}, SQL: `SELECT $__timeInterval(ts) AS time, sum(static_cost) AS static_usd, sum(decided_cost) AS decided_usd
FROM scalora.costs FINAL
WHERE $__timeFilter(ts)
GROUP BY time
ORDER BY time`}},
			},
			{
				Title: "Savings by group", Kind: BarChart, Unit: "currencyUSD", Width: 12, Height: 8,
				Targets: []Target{{RefID: "A", Format: FormatTable, Columns: []string{"group", "savings_usd"}, SQL: `SELECT group, sum(savings) AS savings_usd
FROM scalora.costs_hourly
WHERE $__timeFilter(hour)
GROUP BY group
ORDER BY savings_usd DESC`}},
			},
			{
				Title: "Savings by provider and instance type", Kind: Table, Width: 12, Height: 8,
				Targets: []Target{{RefID: "A", Format: FormatTable,
					Columns: []string{"provider", "instance_type", "static_usd", "decided_usd", "savings_usd", "savings_pct"},
					SQL: `SELECT provider, instance_type,
       round(sum(static_cost), 2) AS static_usd,
       round(sum(decided_cost), 2) AS decided_usd,
       round(sum(savings), 2) AS savings_usd,
       round(100 * sum(savings) / nullIf(sum(static_cost), 0), 1) AS savings_pct
FROM scalora.costs_hourly
WHERE $__timeFilter(hour)
GROUP BY provider, instance_type
ORDER BY savings_usd DESC`}},
			},
			{
				Title:       "Missed opportunities",
				Description: "Periods a group ran instances it could have removed, most expensive first: intervals of at least the scale-in stabilisation window, written by the pipeline (stages/opportunity) when each ends.",
				Kind:        Table, Width: 24, Height: 8,
				Targets: []Target{{RefID: "A", Format: FormatTable,
					Columns: []string{"group", "start", "end", "removable", "instance_hours", "dollars", "reason"},
					SQL: `SELECT group, start, end, removable, instance_hours, dollars, reason
FROM scalora.missed_opportunities_ranked
WHERE start <= $__toTime AND end >= $__fromTime
LIMIT 50`}},
			},
		},
	}
}

func modelQuality() Board {
	return Board{
		File:        "model-quality.json",
		UID:         "scalora-model-quality",
		Title:       "Scalora / Model quality",
		Description: "Forecast error against the CPU measured later, per host and horizon (view forecast_accuracy).",
		Panels: []Panel{
			{
				Title:       "Mean absolute error by horizon",
				Description: "CPU percentage points, over every host in the range. Error grows with the horizon.",
				Kind:        BarChart, Unit: "none", Width: 12, Height: 8,
				Targets: []Target{{RefID: "A", Format: FormatTable, Columns: []string{"horizon", "mae", "rmse"}, SQL: `SELECT toString(horizon) AS horizon, avg(abs_error) AS mae, sqrt(avg(abs_error * abs_error)) AS rmse
FROM scalora.forecast_accuracy
WHERE $__timeFilter(ts)
GROUP BY horizon
ORDER BY toUInt16(horizon)`}},
			},
			{
				Title:       "One-step error per host",
				Description: "Mean absolute error of the forecast one step ahead, per interval and host.",
				Kind:        TimeSeries, Unit: "none", Width: 12, Height: 8,
				Targets: []Target{{RefID: "A", Format: FormatTimeSeries, Columns: []string{"time", "host", "mae"}, SQL: `SELECT $__timeInterval(ts) AS time, host, avg(abs_error) AS mae
FROM scalora.forecast_accuracy
WHERE horizon = 1 AND $__timeFilter(ts)
GROUP BY time, host
ORDER BY time`}},
			},
			{
				Title: "Forecast error per host and horizon", Kind: Table, Width: 12, Height: 8,
				Targets: []Target{{RefID: "A", Format: FormatTable,
					Columns: []string{"host", "model", "horizon", "mae", "rmse", "forecasts"},
					SQL: `SELECT host, model, horizon,
       round(avg(abs_error), 2) AS mae,
       round(sqrt(avg(abs_error * abs_error)), 2) AS rmse,
       count() AS forecasts
FROM scalora.forecast_accuracy
WHERE $__timeFilter(ts) AND horizon IN (1, 3, 6, 12)
GROUP BY host, model, horizon
ORDER BY host, horizon`}},
			},
			{
				Title:       "Forecasts by model",
				Description: "Which model made the forecasts: the LSTM once a host has a full window, a fallback before.",
				Kind:        TimeSeries, Unit: "short", Width: 12, Height: 8,
				Targets: []Target{{RefID: "A", Format: FormatTimeSeries, Columns: []string{"time", "model", "forecasts"}, SQL: `SELECT $__timeInterval(ts) AS time, model, count() AS forecasts
FROM scalora.forecasts FINAL
WHERE horizon = 1 AND $__timeFilter(ts)
GROUP BY time, model
ORDER BY time`}},
			},
		},
	}
}

func pipelineHealth() Board {
	return Board{
		File:        "pipeline-health.json",
		UID:         "scalora-pipeline-health",
		Title:       "Scalora / Pipeline health",
		Description: "Throughput and lag as the store sees them. Kafka-side figures (dead letters, consumer lag) are Prometheus metrics on /metrics.",
		Panels: []Panel{
			{
				Title:       "Steps stored per second",
				Description: "Throughput: steps written per second of wall clock (inserted_at), replays included.",
				Kind:        TimeSeries, Unit: "short", Width: 12, Height: 8,
				Targets: []Target{{RefID: "A", Format: FormatTimeSeries, Columns: []string{"time", "steps_per_s"}, SQL: `SELECT $__timeInterval(inserted_at) AS time, count() / $__interval_s AS steps_per_s
FROM scalora.steps
WHERE $__timeFilter(inserted_at)
GROUP BY time
ORDER BY time`}},
			},
			{
				Title:       "Store lag",
				Description: "Seconds from a step's event time to its write into the store: window closing, model, batching. Replays of old data show as large lags.",
				Kind:        TimeSeries, Unit: "s", Width: 12, Height: 8,
				Targets: []Target{{RefID: "A", Format: FormatTimeSeries, Columns: []string{"time", "avg_lag_s", "max_lag_s"}, SQL: `SELECT $__timeInterval(inserted_at) AS time,
       avg(dateDiff('millisecond', ts, inserted_at)) / 1000 AS avg_lag_s,
       max(dateDiff('millisecond', ts, inserted_at)) / 1000 AS max_lag_s
FROM scalora.steps
WHERE $__timeFilter(inserted_at)
GROUP BY time
ORDER BY time`}},
			},
			{
				Title:       "Host freshness",
				Description: "Latest stored step per host and how far behind now it is: a host that stopped reporting, or a stalled pipeline, shows here first.",
				Kind:        Table, Width: 12, Height: 8,
				Targets: []Target{{RefID: "A", Format: FormatTable, Columns: []string{"host", "group", "last_step", "behind_s"}, SQL: `SELECT host, any(group) AS group, max(ts) AS last_step, dateDiff('second', max(ts), now64(3)) AS behind_s
FROM scalora.steps
WHERE $__timeFilter(ts)
GROUP BY host
ORDER BY behind_s DESC`}},
			},
			{
				Title:       "Gap-filled steps",
				Description: "Share of steps interpolated over missing samples, per interval: a rising share means samples are being lost upstream.",
				Kind:        TimeSeries, Unit: "percentunit", Width: 12, Height: 8,
				Targets: []Target{{RefID: "A", Format: FormatTimeSeries, Columns: []string{"time", "filled_share"}, SQL: `SELECT $__timeInterval(ts) AS time, countIf(filled) / count() AS filled_share
FROM scalora.steps FINAL
WHERE $__timeFilter(ts)
GROUP BY time
ORDER BY time`}},
			},
			{
				Title:       "Rows awaiting deduplication",
				Description: "Stored rows minus distinct keys per table: replays not merged away yet. Reads use FINAL, so these never count twice.",
				Kind:        Table, Width: 12, Height: 8,
				Targets: []Target{{RefID: "A", Format: FormatTable, Columns: []string{"table", "rows", "distinct_keys"}, SQL: `SELECT 'steps' AS table, (SELECT count() FROM scalora.steps WHERE $__timeFilter(ts)) AS rows,
       (SELECT count() FROM scalora.steps FINAL WHERE $__timeFilter(ts)) AS distinct_keys
UNION ALL
SELECT 'costs', (SELECT count() FROM scalora.costs WHERE $__timeFilter(ts)),
       (SELECT count() FROM scalora.costs FINAL WHERE $__timeFilter(ts))`}},
			},
			{
				Title: "Dead letters and Kafka lag", Kind: Text, Width: 12, Height: 8,
				Markdown: "Dead letters and consumer lag live in Kafka, not in ClickHouse, so this board cannot chart them " +
					"from the store. Each rejected sample goes to the dead-letter topic (`topics.dead_letter`) with its reason " +
					"in the `scalora_reason` header; the process exports `scalora_samples_rejected_total`, " +
					"`scalora_kafka_consumed_total` and `scalora_kafka_commit_errors_total` on `/metrics` for a Prometheus data source.",
			},
		},
	}
}
