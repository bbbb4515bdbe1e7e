package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/scalora/scalora/pipeline/app"
	"github.com/scalora/scalora/pipeline/store"
)

// Queries of the demo's closing summary; they read the deduplicated rows
// (FINAL), as every report must.
const (
	qSavings = `SELECT ` + "`group`" + `, provider, instance_type, count() AS steps,
       round(sum(static_cost), 2) AS static_usd,
       round(sum(decided_cost), 2) AS decided_usd,
       round(sum(savings), 2) AS savings_usd,
       round(100 * sum(savings) / sum(static_cost), 1) AS savings_pct
FROM %[1]s.costs FINAL
GROUP BY ` + "`group`" + `, provider, instance_type
ORDER BY ` + "`group`"

	qDecisions = `SELECT action, count() AS decisions, round(avg(target), 1) AS avg_target
FROM %[1]s.decisions FINAL
GROUP BY action
ORDER BY action`

	qCounts = `SELECT
  (SELECT count() FROM %[1]s.steps FINAL) AS steps,
  (SELECT count() FROM %[1]s.forecasts FINAL WHERE horizon = 1) AS forecasts,
  (SELECT countIf(model != 'last_value') FROM %[1]s.forecasts FINAL WHERE horizon = 1) AS by_lstm,
  (SELECT max(horizon) FROM %[1]s.forecasts FINAL) AS horizons,
  (SELECT countIf(anomalous) FROM %[1]s.anomalies FINAL) AS anomalies_reported,
  (SELECT count() FROM %[1]s.missed_opportunities FINAL) AS missed_scale_downs`
)

// printSavings prints the summary the demo ends with, read back from the
// store with SQL.
func printSavings(ctx context.Context, out io.Writer, a *app.App, sent int) error {
	db := a.Config().Store.Database
	fmt.Fprintf(out, "Replayed %d samples. Read back from the store (each host's last step\n"+
		"stays open until a later sample arrives; a forecast covers every horizon):\n\n", sent)

	for _, q := range []struct{ title, sql string }{
		{"Stored rows", qCounts},
		{"Decisions", qDecisions},
		{"Savings against the static configuration (10 x m5.large)", qSavings},
	} {
		res, err := a.Store().Query(ctx, fmt.Sprintf(q.sql, db))
		if err != nil {
			return fmt.Errorf("summary %q: %w", q.title, err)
		}
		fmt.Fprintf(out, "%s:\n", q.title)
		printResult(out, res)
		fmt.Fprintln(out)
	}
	return nil
}

// printResult writes a query result as an aligned table.
func printResult(out io.Writer, r *store.Result) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(r.Columns, "\t"))
	for _, row := range r.Rows {
		cells := make([]string, len(row))
		for i, v := range row {
			cells[i] = fmt.Sprint(v)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	_ = tw.Flush()
}
