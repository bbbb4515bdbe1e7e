package chdbstore

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scalora/scalora/pipeline/store"
	"github.com/scalora/scalora/pipeline/store/libchdb"
	"github.com/scalora/scalora/pipeline/store/storetest"
	"github.com/scalora/scalora/schemas"
)

// requireChDB skips the test when libchdb cannot be loaded, unless
// SCALORA_REQUIRE_CHDB=1 (set in CI), which makes that a failure.
func requireChDB(tb testing.TB) {
	tb.Helper()
	err := libchdb.Available()
	if err == nil {
		return
	}
	if os.Getenv("SCALORA_REQUIRE_CHDB") == "1" {
		tb.Fatalf("SCALORA_REQUIRE_CHDB=1 but %v", err)
	}
	tb.Skipf("chDB library absent (%v); run deploy/setup-chdb.sh and set CHDB_LIB_PATH to the path it prints", err)
}

var dbSeq atomic.Int64

// openFresh opens a store on dir with a database no other test uses.
func openFresh(tb testing.TB, dir string) *Store {
	tb.Helper()
	s, err := Open(Config{Path: dir, Database: fmt.Sprintf("t%d_%d", os.Getpid(), dbSeq.Add(1))})
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	return s
}

func TestConformance(t *testing.T) {
	requireChDB(t)
	dir := t.TempDir()
	storetest.Run(t, func() store.Store {
		s, err := Open(Config{Path: dir, Database: fmt.Sprintf("t%d_%d", os.Getpid(), dbSeq.Add(1))})
		if err != nil {
			t.Errorf("open: %v", err)
			return nil
		}
		return s
	})
}

func TestOpenSamePathSharesTheEngine(t *testing.T) {
	requireChDB(t)
	ctx := context.Background()
	dir := t.TempDir()

	a := openFresh(t, dir)
	if err := a.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	b, err := Open(Config{Path: dir, Database: a.Config().Database})
	if err != nil {
		t.Fatalf("second open on the same path: %v", err)
	}

	step := schemas.Step{Host: "h", Group: "g", Time: time.Now().UTC().Truncate(time.Minute), CPU: 3}
	if err := a.Write(ctx, &store.Batch{Steps: []schemas.Step{step}}); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}

	// b keeps the engine open after a is closed.
	res, err := b.Query(ctx, "SELECT count() FROM steps")
	if err != nil {
		t.Fatalf("query through the remaining store: %v", err)
	}
	if res.Rows[0][0] != uint64(1) {
		t.Errorf("count = %v, want 1", res.Rows[0][0])
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestOpenOtherPathFailsUntilFirstIsClosed(t *testing.T) {
	requireChDB(t)
	ctx := context.Background()
	dirA, dirB := t.TempDir(), t.TempDir()

	a := openFresh(t, dirA)
	if _, err := Open(Config{Path: dirB}); !errors.Is(err, ErrOtherPathOpen) {
		t.Fatalf("open on another path: %v, want ErrOtherPathOpen", err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}

	b := openFresh(t, dirB)
	defer b.Close()
	if err := b.Ping(ctx); err != nil {
		t.Fatalf("ping after switching directory: %v", err)
	}
}

func TestDataSurvivesReopen(t *testing.T) {
	requireChDB(t)
	ctx := context.Background()
	dir := t.TempDir()

	a := openFresh(t, dir)
	db := a.Config().Database
	if err := a.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	step := schemas.Step{Host: "h", Group: "g", Time: time.Now().UTC().Truncate(time.Minute), CPU: 3}
	if err := a.Write(ctx, &store.Batch{Steps: []schemas.Step{step}}); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}

	b, err := Open(Config{Path: dir, Database: db})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	res, err := b.Query(ctx, "SELECT cpu FROM steps FINAL")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 1 || res.Rows[0][0] != 3.0 {
		t.Errorf("after reopen got %v, want [[3]]", res.Rows)
	}
}

// A bad row anywhere in a batch must refuse the whole batch before any
// table is written, so a retry after fixing it does not half-apply.
func TestWriteRefusesBadRowsBeforeWritingAnything(t *testing.T) {
	requireChDB(t)
	ctx := context.Background()
	s := openFresh(t, t.TempDir())
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}

	now := time.Now().UTC().Truncate(time.Minute)
	good := schemas.Step{Host: "h", Group: "g", Time: now, CPU: 1}
	bad := []store.Batch{
		{Steps: []schemas.Step{good}, Costs: []schemas.Cost{{Group: "g", Time: now, Savings: math.NaN()}}},
		{Steps: []schemas.Step{good}, Forecasts: []schemas.Forecast{{Host: "h", Values: []float64{math.Inf(1)}, Time: now}}},
		{Steps: []schemas.Step{good}, Decisions: []schemas.Decision{{Group: "g"}}}, // zero time
		{Steps: []schemas.Step{good, {Host: "h", Time: now, Samples: -1}}},
	}
	for i := range bad {
		if err := s.Write(ctx, &bad[i]); err == nil {
			t.Errorf("batch %d accepted", i)
		}
	}

	res, err := s.Query(ctx, "SELECT count() FROM steps")
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows[0][0] != uint64(0) {
		t.Errorf("steps holds %v rows after refused batches, want 0", res.Rows[0][0])
	}
}

func TestWriteHonoursCancelledContext(t *testing.T) {
	requireChDB(t)
	s := openFresh(t, t.TempDir())
	defer s.Close()

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	b := &store.Batch{Steps: []schemas.Step{{Host: "h", Group: "g", Time: time.Now(), CPU: 1}}}
	if err := s.Write(ctx, b); !errors.Is(err, context.Canceled) {
		t.Errorf("write with cancelled ctx: %v, want context.Canceled", err)
	}
}

// Without the library, Open must fail with ErrLibraryNotFound instead of
// the process panicking (what chdb-go's binding does at init). Loading
// happens once per process, so this runs the test binary again with a
// missing CHDB_LIB_PATH.
func TestOpenWithoutLibraryFailsCleanly(t *testing.T) {
	if os.Getenv("SCALORA_CHDB_CHILD") == "1" {
		_, err := Open(Config{Path: t.TempDir()})
		if !errors.Is(err, ErrLibraryNotFound) {
			t.Fatalf("open without library: %v, want ErrLibraryNotFound", err)
		}
		return
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestOpenWithoutLibraryFailsCleanly$")
	cmd.Env = append(os.Environ(),
		"SCALORA_CHDB_CHILD=1",
		"CHDB_LIB_PATH="+filepath.Join(t.TempDir(), "missing", "libchdb.so"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
}

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		cfg  Config
		fail bool
	}{
		{Config{Path: "d"}, false},
		{Config{}, true},
		{Config{Path: "d", Database: "bad-name"}, true},
	}
	for _, c := range cases {
		c.cfg.SetDefaults()
		if err := c.cfg.Validate(); (err != nil) != c.fail {
			t.Errorf("%+v: err = %v", c.cfg, err)
		}
	}
}

// The steps table keeps 90 days: older steps (a replay of an old trace with
// its original timestamps) are dropped at the next merge.
func TestStepsOlderThan90DaysAreDroppedAtMerge(t *testing.T) {
	requireChDB(t)
	ctx := context.Background()
	s := openFresh(t, t.TempDir())
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}

	now := time.Now().UTC().Truncate(time.Minute)
	b := &store.Batch{Steps: []schemas.Step{
		{Host: "old", Group: "g", Time: now.Add(-91 * 24 * time.Hour), CPU: 1},
		{Host: "new", Group: "g", Time: now.Add(-89 * 24 * time.Hour), CPU: 1},
	}}
	if err := s.Write(ctx, b); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Query(ctx, "OPTIMIZE TABLE steps FINAL"); err != nil {
		t.Fatal(err)
	}

	res, err := s.Query(ctx, "SELECT host FROM steps")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 1 || res.Rows[0][0] != "new" {
		t.Errorf("after merge steps holds %v, want only [new]", res.Rows)
	}
}
