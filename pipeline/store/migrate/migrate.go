// Package migrate applies the numbered DDL files of package schemas/sql to
// a ClickHouse database and records each one in a ledger table,
// schema_migrations, so that a file runs once per database.
//
// Both store backends (chDB and ClickHouse servers) use it through Apply,
// giving it functions that run statements on their engine.
//
// ClickHouse has no transactional DDL and no advisory lock, so two
// processes migrating the same database at once may both run a file. Every
// file is therefore written to be harmless when run twice (CREATE ... IF
// NOT EXISTS; schemas/sql's tests check it), and the ledger is a
// ReplacingMergeTree keyed by name, so a double record reads once.
package migrate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/scalora/scalora/pipeline/store"
	ddl "github.com/scalora/scalora/schemas/sql"
)

// Table is the ledger's name inside the migrated database.
const Table = "schema_migrations"

// ledgerDDL creates the ledger. It is not a numbered file: it must exist
// before the first file is recorded, and it never changes.
const ledgerDDL = `CREATE TABLE IF NOT EXISTS {db}.schema_migrations
(
    version    UInt32,
    name       String,
    checksum   String,
    applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(applied_at)
ORDER BY name`

// Engine runs statements on one backend. Every function is called from
// the goroutine calling Apply, one at a time.
type Engine struct {
	// Bootstrap runs the statement that creates the database, on a
	// connection that does not need the database to exist. Nil: Exec.
	Bootstrap func(ctx context.Context, sql string) error
	// Exec runs one statement that returns no rows. Required.
	Exec func(ctx context.Context, sql string) error
	// Query runs one SELECT. Required.
	Query func(ctx context.Context, sql string) (*store.Result, error)
}

// Migration is one numbered DDL file and its state in a database.
type Migration struct {
	// Version is the file's number (2 for 0002_steps.sql).
	Version uint32
	// Name is the file name.
	Name string
	// Checksum is the hex SHA-256 of the file's statement, with {db}
	// unreplaced, so it does not depend on the database name.
	Checksum string
}

// Report says what Apply did.
type Report struct {
	// Applied lists the files run by this call, in order.
	Applied []Migration
	// Skipped lists the files already recorded with the same checksum.
	Skipped []Migration
	// Unknown lists names recorded in the ledger that this binary does not
	// have: the database was migrated by a newer release. They are left
	// alone, so an older binary keeps working during a rolling upgrade.
	Unknown []string
}

var nameRE = regexp.MustCompile(`^[0-9]{4}_[a-z0-9_]+\.sql$`)

// Files returns the numbered DDL files with their versions and checksums,
// in the order they run.
func Files() ([]Migration, []ddl.Statement, error) {
	stmts, err := ddl.Statements()
	if err != nil {
		return nil, nil, err
	}

	out := make([]Migration, len(stmts))
	for i, s := range stmts {
		if !nameRE.MatchString(s.Name) {
			return nil, nil, fmt.Errorf("migration %s: want a name like 0012_some_table.sql", s.Name)
		}
		v, _ := strconv.ParseUint(s.Name[:4], 10, 32) // four digits: cannot fail
		sum := sha256.Sum256([]byte(s.SQL))
		out[i] = Migration{Version: uint32(v), Name: s.Name, Checksum: hex.EncodeToString(sum[:])}
	}
	return out, stmts, nil
}

// Apply brings database db up to date: it creates the database and the
// ledger if missing, runs in order every file the ledger does not record,
// and records each right after it runs. It refuses, with
// ErrChecksumChanged and before running anything, when a recorded file's
// text changed. Running it again is a no-op.
//
// A failure leaves the files before the failing one recorded; the next
// call resumes at the failing one.
func Apply(ctx context.Context, e Engine, db string) (Report, error) {
	var rep Report
	files, stmts, err := Files()
	if err != nil {
		return rep, err
	}
	if err := ddl.ValidateDatabase(db); err != nil {
		return rep, err
	}
	qdb := ddl.QuoteIdent(db)

	if err := bootstrap(ctx, e, qdb, stmts[0]); err != nil {
		return rep, err
	}

	applied, err := Applied(ctx, e, db)
	if err != nil {
		return rep, err
	}
	if rep.Unknown, err = check(files, applied); err != nil {
		return rep, err
	}

	for i, m := range files {
		if _, ok := applied[m.Name]; ok {
			rep.Skipped = append(rep.Skipped, m)
			continue
		}
		if err := ctx.Err(); err != nil {
			return rep, fmt.Errorf("migrate: %w", err)
		}

		q := strings.ReplaceAll(stmts[i].SQL, ddl.Placeholder, qdb)
		if err := e.Exec(ctx, q); err != nil {
			return rep, fmt.Errorf("migrate %s: %w", m.Name, err)
		}
		if err := record(ctx, e, qdb, m); err != nil {
			return rep, err
		}
		rep.Applied = append(rep.Applied, m)
	}
	return rep, nil
}

// bootstrap creates the database (the first file, which every later
// statement needs, so it runs on every call: it is CREATE ... IF NOT
// EXISTS) and the ledger.
func bootstrap(ctx context.Context, e Engine, qdb string, first ddl.Statement) error {
	run := e.Bootstrap
	if run == nil {
		run = e.Exec
	}
	if err := run(ctx, strings.ReplaceAll(first.SQL, ddl.Placeholder, qdb)); err != nil {
		return fmt.Errorf("migrate %s: %w", first.Name, err)
	}
	if err := e.Exec(ctx, strings.ReplaceAll(ledgerDDL, ddl.Placeholder, qdb)); err != nil {
		return fmt.Errorf("migrate: create %s: %w", Table, err)
	}
	return nil
}

// Applied returns the ledger of database db: checksum by file name. The
// ledger must exist (Apply creates it).
func Applied(ctx context.Context, e Engine, db string) (map[string]string, error) {
	if err := ddl.ValidateDatabase(db); err != nil {
		return nil, err
	}
	res, err := e.Query(ctx, "SELECT name, checksum FROM "+ddl.QuoteIdent(db)+"."+Table+" FINAL ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("migrate: read %s: %w", Table, err)
	}

	out := make(map[string]string, len(res.Rows))
	for _, row := range res.Rows {
		name, ok1 := row[0].(string)
		sum, ok2 := row[1].(string)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("migrate: read %s: row %v is not two strings", Table, row)
		}
		out[name] = sum
	}
	return out, nil
}

// check compares the ledger with the files: a changed checksum is an
// error; names the binary lacks are returned.
func check(files []Migration, applied map[string]string) ([]string, error) {
	known := make(map[string]bool, len(files))
	for _, m := range files {
		known[m.Name] = true
		if sum, ok := applied[m.Name]; ok && sum != m.Checksum {
			return nil, fmt.Errorf("%w: %s was applied with checksum %s, the file now has %s; "+
				"restore the file and put the change in a new numbered file",
				ErrChecksumChanged, m.Name, short(sum), short(m.Checksum))
		}
	}

	var unknown []string
	for name := range applied {
		if !known[name] {
			unknown = append(unknown, name)
		}
	}
	return unknown, nil
}

func record(ctx context.Context, e Engine, qdb string, m Migration) error {
	// Name and checksum are a file name matched by Files and hex digits:
	// they hold no quote to escape.
	q := fmt.Sprintf("INSERT INTO %s.%s (version, name, checksum) VALUES (%d, '%s', '%s')",
		qdb, Table, m.Version, m.Name, m.Checksum)
	if err := e.Exec(ctx, q); err != nil {
		return fmt.Errorf("migrate: record %s: %w", m.Name, err)
	}
	return nil
}

func short(sum string) string {
	if len(sum) > 12 {
		return sum[:12]
	}
	return sum
}
