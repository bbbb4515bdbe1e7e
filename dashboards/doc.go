// Package dashboards defines Scalora's Grafana dashboards in Go, with the
// Grafana foundation SDK, and renders them to the JSON files committed
// next to it (live.json, savings.json, model-quality.json,
// pipeline-health.json), which deploy/grafana provisions.
//
// Every query is SQL for the ClickHouse data source plugin
// (grafana-clickhouse-datasource) and uses its macros; Expand replaces
// them as the plugin does, so the tests run every panel's query on chDB
// against data the pipeline produced.
//
// The dashboards have not been loaded into a running Grafana from this
// repository's tests (no Grafana server runs here); the testcontainers
// suite in integration/ does that where Docker is available.
package dashboards

//go:generate go run ./gen -out .
