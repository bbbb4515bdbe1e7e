package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scalora/scalora/pipeline/store/chdbstore"
	"github.com/scalora/scalora/pipeline/store/libchdb"
	"github.com/scalora/scalora/pipeline/store/migrate"
	ddl "github.com/scalora/scalora/schemas/sql"
)

var demoData struct {
	once sync.Once
	dir  string
	err  error
}

// pipelineData runs the demo once per test process (the five bundled traces
// through the whole pipeline, about 20 s) and returns its kept data folder.
func pipelineData(t *testing.T) string {
	t.Helper()
	if err := libchdb.Available(); err != nil {
		if os.Getenv("SCALORA_REQUIRE_CHDB") == "1" {
			t.Fatal(err)
		}
		t.Skipf("chDB library absent (%v); run deploy/setup-chdb.sh and set CHDB_LIB_PATH", err)
	}
	demoData.once.Do(func() {
		dir, err := os.MkdirTemp("", "scalora-report-")
		if err != nil {
			demoData.err = err
			return
		}
		demoData.dir = dir
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		demoData.err = runDemo(ctx, demoOptions{duration: time.Second, dataDir: dir, keep: true}, io.Discard)
	})
	if demoData.err != nil {
		t.Fatalf("demo: %v", demoData.err)
	}
	return demoData.dir
}

func TestMain(m *testing.M) {
	if os.Getenv(stuckShutdownEnv) == "1" {
		runStuckShutdown()
	}
	code := m.Run()
	if demoData.dir != "" {
		_ = os.RemoveAll(demoData.dir)
	}
	os.Exit(code)
}

func runReport(t *testing.T, args ...string) string {
	t.Helper()
	cmd := newReportCmd()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		t.Fatalf("report %v: %v\n%s", args, err, out.String())
	}
	return out.String()
}

// handTotals recomputes the savings from the raw costs rows, without
// FINAL or SQL sums: it keeps the latest insert of each (group, ts), and
// prices each step from its instance counts, price and length.
func handTotals(t *testing.T, dir string, from, to time.Time) (steps int, static, decided float64) {
	t.Helper()
	s, err := chdbstore.Open(chdbstore.Config{Path: dir + "/chdb"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	res, err := s.Query(context.Background(), `SELECT group, toUnixTimestamp64Milli(ts), toUnixTimestamp64Milli(inserted_at),
		price_per_hour, step_seconds, static_instances, decided_instances FROM costs`)
	if err != nil {
		t.Fatal(err)
	}
	type key struct {
		group string
		ts    int64
	}
	type row struct {
		at             int64
		static, decide float64
	}
	latest := map[key]row{}
	for _, r := range res.Rows {
		k := key{r[0].(string), r[1].(int64)}
		if !from.IsZero() && k.ts < from.UnixMilli() || !to.IsZero() && k.ts >= to.UnixMilli() {
			continue
		}
		hours := float64(r[4].(int64)) / 3600
		price := r[3].(float64)
		v := row{r[2].(int64), float64(r[5].(int32)) * price * hours, float64(r[6].(int32)) * price * hours}
		if old, ok := latest[k]; !ok || v.at >= old.at {
			latest[k] = v
		}
	}
	for _, v := range latest {
		static += v.static
		decided += v.decide
	}
	return len(latest), static, decided
}

func TestReportSavingsMatchesHandCheckOnDemoData(t *testing.T) {
	dir := pipelineData(t)

	steps, static, decided := handTotals(t, dir, time.Time{}, time.Time{})
	if steps == 0 || static-decided <= 0 {
		t.Fatalf("demo stored %d priced steps saving %.2f: nothing to check", steps, static-decided)
	}

	out := runReport(t, "savings", "--data-dir", dir, "--format", "json")
	var doc struct {
		Rows  []savingsRow `json:"rows"`
		Total struct {
			savingsRow
			SavingsPct float64 `json:"savings_pct"`
		} `json:"total"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("json output: %v\n%s", err, out)
	}
	if len(doc.Rows) != 1 || doc.Rows[0].Group != demoGroup || doc.Rows[0].InstanceType != "m5.large" {
		t.Fatalf("rows %+v, want one for group web on m5.large", doc.Rows)
	}
	got := doc.Total
	if got.Steps != uint64(steps) || !near(got.StaticUSD, static) || !near(got.DecidedUSD, decided) ||
		!near(got.SavingsUSD, static-decided) {
		t.Errorf("report total %d steps, $%.4f static, $%.4f decided, $%.4f saved;\nhand check %d, $%.4f, $%.4f, $%.4f",
			got.Steps, got.StaticUSD, got.DecidedUSD, got.SavingsUSD, steps, static, decided, static-decided)
	}

	table := runReport(t, "savings", "--data-dir", dir)
	wantTotal := fmt.Sprintf("%.2f", static-decided)
	if !strings.Contains(table, "TOTAL") || !strings.Contains(table, wantTotal) {
		t.Errorf("table lacks the total %s:\n%s", wantTotal, table)
	}
	t.Logf("demo savings report:\n%s", table)
}

func TestReportSavingsPeriodAndGroupFilters(t *testing.T) {
	dir := pipelineData(t)

	// The last three days of the replay, which ends at the demo's start.
	to := time.Now().UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	from := to.Add(-3 * 24 * time.Hour)
	steps, static, decided := handTotals(t, dir, from, to)

	out := runReport(t, "savings", "--data-dir", dir, "--format", "csv",
		"--from", from.Format(time.DateOnly), "--to", to.Format(time.RFC3339), "--group", demoGroup)
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0][0] != "group" {
		t.Fatalf("csv:\n%s", out)
	}
	if recs[1][3] != fmt.Sprint(steps) || !nearText(recs[1][4], static) || !nearText(recs[1][6], static-decided) {
		t.Errorf("csv row %v, hand check %d steps $%.4f static $%.4f saved", recs[1], steps, static, static-decided)
	}

	out = runReport(t, "savings", "--data-dir", dir, "--group", "no-such-group")
	if !strings.Contains(out, "no priced steps") {
		t.Errorf("unknown group printed:\n%s", out)
	}
	out = runReport(t, "savings", "--data-dir", dir, "--group", "x' OR 1=1 --")
	if !strings.Contains(out, "no priced steps") {
		t.Errorf("a quote in --group changed the query:\n%s", out)
	}
}

func TestReportSavingsRefusesBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--format", "xml"},
		{"--from", "yesterday"},
		{"--from", "2026-05-02", "--to", "2026-05-01"},
	} {
		cmd := newReportCmd()
		cmd.SetOut(io.Discard)
		cmd.SetErr(io.Discard)
		cmd.SetArgs(append([]string{"savings", "--data-dir", t.TempDir()}, args...))
		if err := cmd.ExecuteContext(context.Background()); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

func TestReadmeQueriesRunOnPipelineData(t *testing.T) {
	dir := pipelineData(t)
	qs := ddl.Queries()
	if len(qs) != 5 {
		t.Fatalf("QUERIES.md holds %d queries, want 5", len(qs))
	}

	s, err := chdbstore.Open(chdbstore.Config{Path: dir + "/chdb"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, q := range qs {
		res, err := s.Query(context.Background(), q.SQL)
		if err != nil {
			t.Errorf("%s: %v", q.Title, err)
			continue
		}
		if len(res.Rows) == 0 {
			t.Errorf("%s: no rows on the demo's data", q.Title)
		}
	}
}

func TestMigrateCommandIsIdempotent(t *testing.T) {
	if err := libchdb.Available(); err != nil {
		t.Skip(err)
	}
	dir := t.TempDir()
	var out bytes.Buffer
	for i := 0; i < 2; i++ {
		cmd := newMigrateCmd()
		out.Reset()
		cmd.SetOut(&out)
		cmd.SetArgs([]string{"--data-dir", dir, "--steps-ttl", "720h"})
		if err := cmd.ExecuteContext(context.Background()); err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
	}
	files, _, err := migrate.Files()
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("0 applied, %d already up to date", len(files))
	if !strings.Contains(out.String(), want) || !strings.Contains(out.String(), "kept 30 days") {
		t.Errorf("second run printed:\n%s", out.String())
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b)) }

func nearText(s string, want float64) bool {
	var v float64
	_, err := fmt.Sscan(s, &v)
	return err == nil && near(v, want)
}
