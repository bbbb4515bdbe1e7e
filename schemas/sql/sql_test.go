package ddl

import (
	"strings"
	"testing"
)

func TestStatementsAreOrderedAndIdempotent(t *testing.T) {
	stmts, err := Statements()
	if err != nil {
		t.Fatal(err)
	}

	want := []string{
		"0001_database.sql", "0002_steps.sql", "0003_forecasts.sql", "0004_anomalies.sql",
		"0005_decisions.sql", "0006_costs.sql", "0007_savings_by_group.sql",
		"0008_missed_opportunities.sql", "0009_forecast_errors.sql", "0010_steps_hourly.sql",
		"0011_steps_daily.sql", "0012_costs_hourly.sql", "0013_costs_daily.sql",
		"0014_missed_opportunities_ranked.sql", "0015_forecast_accuracy.sql",
		"0016_forecast_error_by_host.sql", "0017_steps_hourly_store.sql",
		"0018_steps_daily_store.sql", "0019_steps_hourly_merged.sql", "0020_steps_daily_merged.sql",
		"0021_host_state.sql",
	}
	if len(stmts) != len(want) {
		t.Fatalf("got %d statements, want %d", len(stmts), len(want))
	}
	for i, s := range stmts {
		if s.Name != want[i] {
			t.Errorf("statement %d is %s, want %s", i, s.Name, want[i])
		}
		if !strings.Contains(s.SQL, "IF NOT EXISTS") && !strings.Contains(s.SQL, "CREATE OR REPLACE VIEW") {
			t.Errorf("%s lacks IF NOT EXISTS (or OR REPLACE for a view), so Migrate would fail the second time", s.Name)
		}
		if strings.Count(s.SQL, ";") != 0 {
			t.Errorf("%s holds more than one statement", s.Name)
		}
	}
}

func TestRenderedReplacesEveryPlaceholder(t *testing.T) {
	stmts, err := Rendered("scalora_test")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stmts {
		if strings.Contains(s.SQL, Placeholder) {
			t.Errorf("%s still holds %s", s.Name, Placeholder)
		}
		if !strings.Contains(s.SQL, "`scalora_test`") {
			t.Errorf("%s does not name the database", s.Name)
		}
	}
}

func TestRenderedRefusesDatabaseNamesThatNeedQuoting(t *testing.T) {
	for _, db := range []string{"", "1abc", "a-b", "a`b", "a b", "a;DROP", strings.Repeat("a", 65)} {
		if _, err := Rendered(db); err == nil {
			t.Errorf("database %q accepted", db)
		}
	}
}

func TestQueriesDocHoldsFiveQueriesOnTheDefaultDatabase(t *testing.T) {
	qs := Queries()
	if len(qs) != 5 {
		t.Fatalf("QUERIES.md holds %d queries, want 5", len(qs))
	}
	for _, q := range qs {
		if q.Title == "" || !strings.Contains(q.SQL, DefaultDatabase+".") || strings.Contains(q.SQL, ";") {
			t.Errorf("query %q: want a title, tables of %s and no semicolon", q.Title, DefaultDatabase)
		}
	}
}
