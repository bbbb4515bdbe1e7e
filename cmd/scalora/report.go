package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/scalora/scalora/pipeline/store"
	ddl "github.com/scalora/scalora/schemas/sql"
)

// newReportCmd is "scalora report": reports read from the store with SQL.
func newReportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Print reports read from the ClickHouse store",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newReportSavingsCmd())
	return cmd
}

type savingsOptions struct {
	storeOptions
	from, to string
	group    string
	format   string
}

func newReportSavingsCmd() *cobra.Command {
	var o savingsOptions
	cmd := &cobra.Command{
		Use:   "savings [--from T] [--to T] [--group G] [--format table|json|csv]",
		Short: "Savings by group, provider and instance type over a period",
		Long: `Sum the cost of every priced step in [--from, --to) by group, provider and
instance type: what the static configuration would have cost, what the
decided capacity cost, and the difference. Steps replayed after a crash
count once (the costs table is read with FINAL).

--from and --to take RFC 3339 times (2026-05-01T00:00:00Z) or dates
(2026-05-01, midnight UTC); either may be left out for an open end.
The table format ends with a total line; json adds a "total" object;
csv has the rows only.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runReportSavings(cmd.Context(), o, cmd.OutOrStdout())
		},
	}
	o.addFlags(cmd)
	f := cmd.Flags()
	f.StringVar(&o.from, "from", "", "start of the period, inclusive (default: the first step)")
	f.StringVar(&o.to, "to", "", "end of the period, exclusive (default: after the last step)")
	f.StringVar(&o.group, "group", "", "only this instance group (default: all)")
	f.StringVar(&o.format, "format", "table", "table, json or csv")
	return cmd
}

// savingsRow is one line of the savings report. Money is in dollars.
type savingsRow struct {
	Group        string  `json:"group"`
	Provider     string  `json:"provider"`
	InstanceType string  `json:"instance_type"`
	Steps        uint64  `json:"steps"`
	StaticUSD    float64 `json:"static_usd"`
	DecidedUSD   float64 `json:"decided_usd"`
	SavingsUSD   float64 `json:"savings_usd"`
}

// Pct is the savings as a percentage of the static cost (0 when that is 0).
func (r savingsRow) Pct() float64 {
	if r.StaticUSD == 0 {
		return 0
	}
	return 100 * r.SavingsUSD / r.StaticUSD
}

func runReportSavings(ctx context.Context, o savingsOptions, out io.Writer) error {
	if o.format != "table" && o.format != "json" && o.format != "csv" {
		return fmt.Errorf("--format %q: want table, json or csv", o.format)
	}
	from, err := parseReportTime("--from", o.from)
	if err != nil {
		return err
	}
	to, err := parseReportTime("--to", o.to)
	if err != nil {
		return err
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		return fmt.Errorf("--from %s is not before --to %s", o.from, o.to)
	}

	s, cfg, err := o.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()

	rows, err := querySavings(ctx, s, cfg.Store.Database, from, to, o.group)
	if err != nil {
		return err
	}

	switch o.format {
	case "json":
		return writeSavingsJSON(out, rows, from, to)
	case "csv":
		return writeSavingsCSV(out, rows)
	}
	return writeSavingsTable(out, rows)
}

// parseReportTime reads an RFC 3339 time or a date; "" is the zero time.
func parseReportTime(flag, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t.UTC(), nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %q: want an RFC 3339 time or a date like 2026-05-01", flag, v)
	}
	return t, nil
}

func querySavings(ctx context.Context, s store.Store, db string, from, to time.Time, group string) ([]savingsRow, error) {
	res, err := s.Query(ctx, ddl.SavingsSQL(db, from, to, group))
	if err != nil {
		return nil, fmt.Errorf("savings report: %w", err)
	}

	rows := make([]savingsRow, 0, len(res.Rows))
	for i, r := range res.Rows {
		var row savingsRow
		var ok [7]bool
		row.Group, ok[0] = r[0].(string)
		row.Provider, ok[1] = r[1].(string)
		row.InstanceType, ok[2] = r[2].(string)
		row.Steps, ok[3] = r[3].(uint64)
		row.StaticUSD, ok[4] = r[4].(float64)
		row.DecidedUSD, ok[5] = r[5].(float64)
		row.SavingsUSD, ok[6] = r[6].(float64)
		for _, good := range ok {
			if !good {
				return nil, fmt.Errorf("savings report: row %d has unexpected types %T", i, r)
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func total(rows []savingsRow) savingsRow {
	t := savingsRow{Group: "TOTAL"}
	for _, r := range rows {
		t.Steps += r.Steps
		t.StaticUSD += r.StaticUSD
		t.DecidedUSD += r.DecidedUSD
		t.SavingsUSD += r.SavingsUSD
	}
	return t
}

func writeSavingsTable(out io.Writer, rows []savingsRow) error {
	if len(rows) == 0 {
		_, err := fmt.Fprintln(out, "no priced steps in this period")
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "group\tprovider\tinstance type\tsteps\tstatic $\tdecided $\tsavings $\tsavings %\t")
	line := func(r savingsRow) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%.2f\t%.2f\t%.2f\t%.1f\t\n",
			r.Group, r.Provider, r.InstanceType, r.Steps, r.StaticUSD, r.DecidedUSD, r.SavingsUSD, r.Pct())
	}
	for _, r := range rows {
		line(r)
	}
	line(total(rows))
	return tw.Flush()
}

func writeSavingsJSON(out io.Writer, rows []savingsRow, from, to time.Time) error {
	type row struct {
		savingsRow
		SavingsPct float64 `json:"savings_pct"`
	}
	doc := struct {
		From  *time.Time `json:"from,omitempty"`
		To    *time.Time `json:"to,omitempty"`
		Rows  []row      `json:"rows"`
		Total row        `json:"total"`
	}{Rows: make([]row, 0, len(rows))}
	if !from.IsZero() {
		doc.From = &from
	}
	if !to.IsZero() {
		doc.To = &to
	}
	for _, r := range rows {
		doc.Rows = append(doc.Rows, row{r, r.Pct()})
	}
	t := total(rows)
	doc.Total = row{t, t.Pct()}

	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func writeSavingsCSV(out io.Writer, rows []savingsRow) error {
	w := csv.NewWriter(out)
	_ = w.Write([]string{"group", "provider", "instance_type", "steps", "static_usd", "decided_usd", "savings_usd", "savings_pct"})
	for _, r := range rows {
		_ = w.Write([]string{
			r.Group, r.Provider, r.InstanceType, strconv.FormatUint(r.Steps, 10),
			fmtUSD(r.StaticUSD), fmtUSD(r.DecidedUSD), fmtUSD(r.SavingsUSD),
			strconv.FormatFloat(r.Pct(), 'f', 2, 64),
		})
	}
	w.Flush()
	return w.Error()
}

// fmtUSD keeps full precision: CSV is for further computation.
func fmtUSD(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
