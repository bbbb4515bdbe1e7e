package rollup_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/scalora/scalora/pipeline/store"
	"github.com/scalora/scalora/pipeline/store/chdbstore"
	"github.com/scalora/scalora/pipeline/store/libchdb"
	"github.com/scalora/scalora/pipeline/store/rollup"
	"github.com/scalora/scalora/schemas"
)

// openCHDB opens a migrated chDB store on a fresh directory, or skips
// without the library (fails when SCALORA_REQUIRE_CHDB=1, as in CI).
func openCHDB(t *testing.T) *chdbstore.Store {
	t.Helper()
	if err := libchdb.Available(); err != nil {
		if os.Getenv("SCALORA_REQUIRE_CHDB") == "1" {
			t.Fatalf("SCALORA_REQUIRE_CHDB=1 but %v", err)
		}
		t.Skipf("chDB library absent (%v); run deploy/setup-chdb.sh and set CHDB_LIB_PATH to the path it prints", err)
	}
	s, err := chdbstore.Open(chdbstore.Config{Path: t.TempDir(), Database: "rollup"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// base is 01:00 UTC two days ago: recent enough for the steps TTL, and
// the three hours of steps below fall in one day.
var base = time.Now().UTC().Truncate(24 * time.Hour).Add(-48*time.Hour + time.Hour)

// steps are 5-minute steps of hosts a and b over three hours: host a's
// CPU in hour h is 10h + 0..11 (mean 10h + 5.5), host b's is 50 flat, and
// a's first step is a filled one.
func steps() []schemas.Step {
	var out []schemas.Step
	for i := 0; i < 36; i++ {
		ts := base.Add(time.Duration(i) * 5 * time.Minute)
		h, k := i/12, i%12
		out = append(out,
			schemas.Step{Host: "a", Group: "web", Time: ts, CPU: float64(10*h + k), Samples: 5, Filled: i == 0},
			schemas.Step{Host: "b", Group: "db", Time: ts, CPU: 50, Samples: 5},
		)
	}
	return out
}

func write(t *testing.T, s store.Store, rows []schemas.Step) {
	t.Helper()
	if err := s.Write(context.Background(), &store.Batch{Steps: rows}); err != nil {
		t.Fatal(err)
	}
}

func refresh(t *testing.T, s store.Store) {
	t.Helper()
	// Two hours before base: rounding down must still cover every step.
	if err := rollup.Refresh(context.Background(), s, "rollup", base.Add(-90*time.Minute)); err != nil {
		t.Fatal(err)
	}
}

// rows returns the query's rows, each formatted with %v, in order.
func rows(t *testing.T, s store.Store, q string) []string {
	t.Helper()
	res, err := s.Query(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	var out []string
	for _, r := range res.Rows {
		out = append(out, strings.TrimSuffix(fmt.Sprintln(r...), "\n"))
	}
	return out
}

// wantHourly is what steps_hourly (and its stored copy) hold for steps():
// host group avg max min steps filled, by host and hour.
var wantHourly = []string{
	"a web 5.5 11 0 12 1", "a web 15.5 21 10 12 0", "a web 25.5 31 20 12 0",
	"b db 50 50 50 12 0", "b db 50 50 50 12 0", "b db 50 50 50 12 0",
}

const (
	hourlyCols = "host, group, avg_cpu, max_cpu, min_cpu, steps, filled_steps"
	dailyCols  = "host, group, avg_cpu, max_cpu, steps, filled_steps"
)

// wantDaily: a's mean over the day is 15.5, its max 31.
var wantDaily = []string{"a web 15.5 31 36 1", "b db 50 50 36 0"}

func check(t *testing.T, what string, got, want []string) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

func TestRefreshTwiceStoresTheSameRows(t *testing.T) {
	s := openCHDB(t)
	write(t, s, steps())

	refresh(t, s)
	refresh(t, s)

	check(t, "steps_hourly_store FINAL",
		rows(t, s, "SELECT "+hourlyCols+" FROM steps_hourly_store FINAL ORDER BY host, hour"), wantHourly)
	check(t, "steps_daily_store FINAL",
		rows(t, s, "SELECT "+dailyCols+" FROM steps_daily_store FINAL ORDER BY host, day"), wantDaily)

	// The second refresh inserted its rows again; FINAL reads one per key.
	check(t, "raw hourly rows", rows(t, s, "SELECT count() FROM steps_hourly_store"), []string{"12"})
}

func TestReplayedStepsCountOnceInStoredRollups(t *testing.T) {
	s := openCHDB(t)
	write(t, s, steps())
	refresh(t, s)
	write(t, s, steps()) // a replay after a crash
	refresh(t, s)

	check(t, "steps_hourly_store FINAL",
		rows(t, s, "SELECT "+hourlyCols+" FROM steps_hourly_store FINAL ORDER BY host, hour"), wantHourly)
	check(t, "steps_daily view",
		rows(t, s, "SELECT "+dailyCols+" FROM steps_daily ORDER BY host, day"), wantDaily)
}

func TestRollupViewsOutliveTheRawSteps(t *testing.T) {
	s := openCHDB(t)
	ctx := context.Background()
	write(t, s, steps())
	refresh(t, s)

	// The steps TTL removing the first half hour, as a merge would.
	cut := base.Add(30 * time.Minute).Format(time.DateTime)
	if _, err := s.Query(ctx, "ALTER TABLE steps DELETE WHERE ts < toDateTime64('"+cut+"', 3, 'UTC') "+
		"SETTINGS mutations_sync = 2"); err != nil {
		t.Fatal(err)
	}
	check(t, "steps left", rows(t, s, "SELECT count() FROM steps FINAL"), []string{"60"})

	// A refresh after the cut must not replace the complete first hour
	// and day with what is left of them.
	refresh(t, s)
	check(t, "steps_hourly view after partial TTL",
		rows(t, s, "SELECT "+hourlyCols+" FROM steps_hourly ORDER BY host, hour"), wantHourly)
	check(t, "steps_daily view after partial TTL",
		rows(t, s, "SELECT "+dailyCols+" FROM steps_daily ORDER BY host, day"), wantDaily)

	// Every step gone, as after the whole TTL.
	if _, err := s.Query(ctx, "TRUNCATE TABLE steps"); err != nil {
		t.Fatal(err)
	}
	refresh(t, s)
	check(t, "steps_hourly view without steps",
		rows(t, s, "SELECT "+hourlyCols+" FROM steps_hourly ORDER BY host, hour"), wantHourly)
	check(t, "steps_daily view without steps",
		rows(t, s, "SELECT "+dailyCols+" FROM steps_daily ORDER BY host, day"), wantDaily)
}

func TestRollupViewsShowStepsNotRefreshedYet(t *testing.T) {
	s := openCHDB(t)
	all := steps()
	write(t, s, all[:24]) // the first hour
	refresh(t, s)
	write(t, s, all[24:]) // two more hours, after the refresh

	check(t, "steps_hourly view",
		rows(t, s, "SELECT "+hourlyCols+" FROM steps_hourly ORDER BY host, hour"), wantHourly)
	check(t, "steps_daily view (stored 12 steps a host, live 36)",
		rows(t, s, "SELECT "+dailyCols+" FROM steps_daily ORDER BY host, day"), wantDaily)
}

func TestRefreshRefusesABadDatabaseName(t *testing.T) {
	s := openCHDB(t)
	if err := rollup.Refresh(context.Background(), s, "x`; DROP", base); err == nil {
		t.Fatal("refresh accepted a database name that needs quoting")
	}
}
