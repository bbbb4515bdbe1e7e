package migrate

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/scalora/scalora/pipeline/store"
	ddl "github.com/scalora/scalora/schemas/sql"
)

// stepsTTLRE finds the TTL clause 0002_steps.sql and SetStepsTTL write.
var stepsTTLRE = regexp.MustCompile(`TTL toDateTime\(ts\) \+ toIntervalDay\((\d+)\)`)

// StepsTTL returns how long database db keeps raw steps, read from the
// steps table's DDL; ok is false when the table has no TTL of the form
// SetStepsTTL writes (someone changed it by hand).
func StepsTTL(ctx context.Context, e Engine, db string) (ttl time.Duration, ok bool, err error) {
	if err := ddl.ValidateDatabase(db); err != nil {
		return 0, false, err
	}

	// db passed ValidateDatabase: it holds no quote.
	res, err := e.Query(ctx, "SELECT create_table_query FROM system.tables WHERE database = '"+db+"' AND name = 'steps'")
	if err != nil {
		return 0, false, fmt.Errorf("read steps ttl: %w", err)
	}
	if len(res.Rows) != 1 || len(res.Rows[0]) != 1 {
		return 0, false, fmt.Errorf("read steps ttl: %s.steps not found; migrate first", db)
	}
	create, _ := res.Rows[0][0].(string)

	m := stepsTTLRE.FindStringSubmatch(create)
	if m == nil {
		return 0, false, nil
	}
	days, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		return 0, false, nil
	}
	return time.Duration(days) * 24 * time.Hour, true, nil
}

// EnsureStepsTTL makes database db keep raw steps for ttl (whole days, at
// least one), like SetStepsTTL, but alters the table only when its TTL
// differs: a changed TTL starts a background mutation over every part, so
// the pipeline can call this at each start with its configured value
// (store.steps_ttl) without paying for it when nothing changed. It reports
// whether it changed the TTL. Call it after Apply (or Store.Migrate).
func EnsureStepsTTL(ctx context.Context, e Engine, db string, ttl time.Duration) (bool, error) {
	want := ttl.Truncate(24 * time.Hour)
	if want < 24*time.Hour {
		return false, fmt.Errorf("steps ttl %s: want at least one day", ttl)
	}

	cur, ok, err := StepsTTL(ctx, e, db)
	if err != nil {
		return false, err
	}
	if ok && cur == want {
		return false, nil
	}
	if err := SetStepsTTL(ctx, e, db, want); err != nil {
		return false, err
	}
	return true, nil
}

// engineOf is implemented by both store backends.
type engineOf interface {
	MigrationEngine() Engine
}

// EnsureStoreStepsTTL is EnsureStepsTTL on a store.Store: the one call the
// application makes after Migrate. It fails with ErrNoEngine for a store
// that does not expose its migration engine (both backends do).
func EnsureStoreStepsTTL(ctx context.Context, s store.Store, db string, ttl time.Duration) (bool, error) {
	e, ok := s.(engineOf)
	if !ok {
		return false, fmt.Errorf("steps ttl: %w", ErrNoEngine)
	}
	return EnsureStepsTTL(ctx, e.MigrationEngine(), db, ttl)
}
