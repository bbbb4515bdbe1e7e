package migrate_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/scalora/scalora/pipeline/store/chdbstore"
	"github.com/scalora/scalora/pipeline/store/libchdb"
	"github.com/scalora/scalora/pipeline/store/migrate"
	ddl "github.com/scalora/scalora/schemas/sql"
)

// openCHDB opens a chDB store on a fresh directory, or skips without the
// library (fails when SCALORA_REQUIRE_CHDB=1, as in CI).
func openCHDB(t *testing.T, db string) *chdbstore.Store {
	t.Helper()
	if err := libchdb.Available(); err != nil {
		if os.Getenv("SCALORA_REQUIRE_CHDB") == "1" {
			t.Fatalf("SCALORA_REQUIRE_CHDB=1 but %v", err)
		}
		t.Skipf("chDB library absent (%v); run deploy/setup-chdb.sh and set CHDB_LIB_PATH to the path it prints", err)
	}
	s, err := chdbstore.Open(chdbstore.Config{Path: t.TempDir(), Database: db})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestMigrationsOnCHDB(t *testing.T) {
	s := openCHDB(t, "mig")
	ctx := context.Background()
	e := s.MigrationEngine()
	files, _, err := migrate.Files()
	if err != nil {
		t.Fatal(err)
	}

	t.Run("EmptyDatabaseGetsEveryFile", func(t *testing.T) {
		rep, err := migrate.Apply(ctx, e, "mig")
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Applied) != len(files) || len(rep.Skipped) != 0 {
			t.Fatalf("applied %d, skipped %d, want %d and 0", len(rep.Applied), len(rep.Skipped), len(files))
		}

		res, err := s.Query(ctx, "SELECT name FROM system.tables WHERE database = 'mig' ORDER BY name")
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, r := range res.Rows {
			names = append(names, r[0].(string))
		}
		want := "anomalies costs costs_daily costs_hourly decisions forecast_accuracy forecast_error_by_host " +
			"forecast_errors forecasts host_state missed_opportunities missed_opportunities_ranked savings_by_group " +
			"schema_migrations steps steps_daily steps_daily_store steps_hourly steps_hourly_store"
		if got := strings.Join(names, " "); got != want {
			t.Errorf("tables:\n got %s\nwant %s", got, want)
		}
	})

	t.Run("SecondRunIsANoOp", func(t *testing.T) {
		rep, err := migrate.Apply(ctx, e, "mig")
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Applied) != 0 || len(rep.Skipped) != len(files) {
			t.Fatalf("applied %d, skipped %d", len(rep.Applied), len(rep.Skipped))
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("store migrate: %v", err)
		}
		n := scalar(t, s, "SELECT count() FROM mig.schema_migrations FINAL")
		if n != fmt.Sprint(len(files)) {
			t.Errorf("ledger holds %s rows, want %d", n, len(files))
		}
	})

	t.Run("LostLedgerRowsAreReappliedInOrder", func(t *testing.T) {
		exec(t, s, "ALTER TABLE mig.schema_migrations DELETE WHERE name >= '0010' SETTINGS mutations_sync = 1")
		rep, err := migrate.Apply(ctx, e, "mig")
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Applied) != len(files)-9 || rep.Applied[0].Name != "0010_steps_hourly.sql" {
			t.Errorf("applied %v", rep.Applied)
		}
	})

	t.Run("EditedAppliedFileIsRefused", func(t *testing.T) {
		time.Sleep(5 * time.Millisecond) // a later applied_at replaces the row
		exec(t, s, "INSERT INTO mig.schema_migrations (version, name, checksum) VALUES (6, '0006_costs.sql', 'deadbeef')")
		_, err := migrate.Apply(ctx, e, "mig")
		if !errors.Is(err, migrate.ErrChecksumChanged) || !strings.Contains(err.Error(), "0006_costs.sql") {
			t.Fatalf("got %v, want ErrChecksumChanged naming 0006_costs.sql", err)
		}
		if err := s.Migrate(ctx); !errors.Is(err, migrate.ErrChecksumChanged) {
			t.Errorf("store migrate: got %v", err)
		}
	})
}

// A database created before the ledger existed (every file run, nothing
// recorded) is adopted: every file is run again harmlessly and recorded.
func TestMigrateAdoptsDatabaseCreatedBeforeTheLedger(t *testing.T) {
	s := openCHDB(t, "old")
	ctx := context.Background()
	stmts, err := ddl.Rendered("old")
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range stmts[:7] { // what the release before the ledger had
		exec(t, s, st.SQL)
	}
	exec(t, s, "INSERT INTO old.costs (group, ts, savings) VALUES ('g', now64(3), 1.5)")

	rep, err := migrate.Apply(ctx, s.MigrationEngine(), "old")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Applied) != len(stmts) {
		t.Errorf("applied %d of %d", len(rep.Applied), len(stmts))
	}
	if got := scalar(t, s, "SELECT sum(savings) FROM old.savings_by_group"); got != "1.5" {
		t.Errorf("savings after adoption = %s, want the row written before", got)
	}
}

func TestSetStepsTTLOnCHDB(t *testing.T) {
	s := openCHDB(t, "ttl")
	ctx := context.Background()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := migrate.SetStepsTTL(ctx, s.MigrationEngine(), "ttl", 30*24*time.Hour); err != nil {
		t.Fatal(err)
	}
	create := scalar(t, s, "SELECT create_table_query FROM system.tables WHERE database = 'ttl' AND name = 'steps'")
	if !strings.Contains(create, "toIntervalDay(30)") {
		t.Errorf("steps DDL after SetStepsTTL:\n%s", create)
	}

	// Migrating again keeps the changed TTL: files never recreate a table.
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	create = scalar(t, s, "SELECT create_table_query FROM system.tables WHERE database = 'ttl' AND name = 'steps'")
	if !strings.Contains(create, "toIntervalDay(30)") {
		t.Errorf("migrate reset the TTL:\n%s", create)
	}
}

func exec(t *testing.T, s *chdbstore.Store, q string) {
	t.Helper()
	if err := s.MigrationEngine().Exec(context.Background(), q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func scalar(t *testing.T, s *chdbstore.Store, q string) string {
	t.Helper()
	res, err := s.Query(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	if len(res.Rows) != 1 || len(res.Rows[0]) != 1 {
		t.Fatalf("%s: got %v", q, res.Rows)
	}
	return fmt.Sprint(res.Rows[0][0])
}

func TestEnsureStepsTTLAltersOnlyWhenItDiffers(t *testing.T) {
	s := openCHDB(t, "ensure")
	ctx := context.Background()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}

	ttl, ok, err := migrate.StepsTTL(ctx, s.MigrationEngine(), "ensure")
	if err != nil || !ok || ttl != migrate.DefaultStepsTTL {
		t.Fatalf("fresh table: ttl %s, ok %v, err %v; want %s", ttl, ok, err, migrate.DefaultStepsTTL)
	}

	changed, err := migrate.EnsureStoreStepsTTL(ctx, s, "ensure", migrate.DefaultStepsTTL)
	if err != nil || changed {
		t.Fatalf("default ttl: changed %v, err %v; want no change", changed, err)
	}

	// 30 days and 5 hours is rounded down to 30 days; asking again is a no-op.
	for i, want := range []bool{true, false} {
		changed, err = migrate.EnsureStoreStepsTTL(ctx, s, "ensure", 30*24*time.Hour+5*time.Hour)
		if err != nil || changed != want {
			t.Fatalf("call %d: changed %v, err %v; want %v", i, changed, err, want)
		}
	}
	if ttl, _, _ := migrate.StepsTTL(ctx, s.MigrationEngine(), "ensure"); ttl != 30*24*time.Hour {
		t.Errorf("ttl %s after ensure, want 720h", ttl)
	}

	if _, err := migrate.EnsureStoreStepsTTL(ctx, s, "ensure", time.Hour); err == nil {
		t.Error("a ttl under a day was accepted")
	}
}
