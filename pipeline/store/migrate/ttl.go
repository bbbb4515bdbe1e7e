package migrate

import (
	"context"
	"fmt"
	"time"

	ddl "github.com/scalora/scalora/schemas/sql"
)

// DefaultStepsTTL is how long the steps table keeps a row after its event
// time when nobody changed it: the TTL in schemas/sql/0002_steps.sql.
const DefaultStepsTTL = 90 * 24 * time.Hour

// SetStepsTTL changes how long database db keeps raw steps, to ttl rounded
// down to whole days (at least one). The change is stored in the table's
// metadata, so it holds across restarts and later migrations (which never
// recreate an existing table). Rows already past the new TTL are deleted
// by a background mutation, not before SetStepsTTL returns.
//
// The rollup views read steps, so they reach back as far as the TTL does.
func SetStepsTTL(ctx context.Context, e Engine, db string, ttl time.Duration) error {
	days := int64(ttl / (24 * time.Hour))
	if days < 1 {
		return fmt.Errorf("steps ttl %s: want at least one day", ttl)
	}
	if err := ddl.ValidateDatabase(db); err != nil {
		return err
	}

	q := fmt.Sprintf("ALTER TABLE %s.steps MODIFY TTL toDateTime(ts) + toIntervalDay(%d)", ddl.QuoteIdent(db), days)
	if err := e.Exec(ctx, q); err != nil {
		return fmt.Errorf("set steps ttl: %w", err)
	}
	return nil
}
