// Package ddl holds the ClickHouse DDL of Scalora's store: numbered files
// (0001_database.sql, 0002_steps.sql, ...), one statement each, run in
// order by both store backends (chDB and ClickHouse servers).
//
// The files are versioned migrations: package pipeline/store/migrate runs
// each once per database and records it, with its checksum, in the
// database's schema_migrations table. A file that has been released must
// never change (migrate refuses a database whose applied file's checksum
// differs): a change goes into a new numbered file. Every statement is
// still CREATE ... IF NOT EXISTS, because two processes migrating at once
// may both run a file.
//
// QUERIES.md holds report queries for users to paste into clickhouse-client.
//
// The files name the database as {db}; Render replaces it, so the same text
// runs on both backends with fully qualified table names, and no statement
// depends on a session's current database.
package ddl

import (
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
)

// DefaultDatabase is the database name used when none is configured.
const DefaultDatabase = "scalora"

// Placeholder is the text each statement uses for the database name.
const Placeholder = "{db}"

//go:embed *.sql
var files embed.FS

// Statement is one DDL statement.
type Statement struct {
	// Name is the file name, e.g. "0002_steps.sql".
	Name string
	// SQL is the statement with {db} placeholders, without a trailing
	// semicolon; comments are kept.
	SQL string
}

// Render returns s.SQL with the database placeholder replaced by db, quoted.
// db must satisfy ValidateDatabase.
func (s Statement) Render(db string) (string, error) {
	if err := ValidateDatabase(db); err != nil {
		return "", err
	}
	return strings.ReplaceAll(s.SQL, Placeholder, QuoteIdent(db)), nil
}

// Statements returns the DDL in the order it must run (by file name).
func Statements() ([]Statement, error) {
	names, err := fs.Glob(files, "*.sql")
	if err != nil {
		return nil, fmt.Errorf("list ddl files: %w", err)
	}
	sort.Strings(names)

	out := make([]Statement, 0, len(names))
	for _, name := range names {
		b, err := files.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read ddl %s: %w", name, err)
		}

		text := strings.TrimRight(strings.TrimSpace(string(b)), ";")
		if text == "" {
			return nil, fmt.Errorf("ddl %s: empty statement", name)
		}
		out = append(out, Statement{Name: name, SQL: text})
	}
	return out, nil
}

// Rendered returns Statements with the database placeholder replaced by db.
func Rendered(db string) ([]Statement, error) {
	stmts, err := Statements()
	if err != nil {
		return nil, err
	}
	for i := range stmts {
		if stmts[i].SQL, err = stmts[i].Render(db); err != nil {
			return nil, fmt.Errorf("render ddl %s: %w", stmts[i].Name, err)
		}
	}
	return stmts, nil
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

// ValidateDatabase reports whether db is a plain identifier (letters, digits,
// underscores, not starting with a digit, at most 64 bytes). Names needing
// quotes are refused so that they can be pasted into any SQL unchanged.
func ValidateDatabase(db string) error {
	if !identRE.MatchString(db) {
		return fmt.Errorf("database name %q: want letters, digits and underscores, not starting with a digit", db)
	}
	return nil
}

// QuoteIdent quotes an identifier with backticks for ClickHouse.
func QuoteIdent(name string) string {
	return "`" + strings.ReplaceAll(strings.ReplaceAll(name, `\`, `\\`), "`", "\\`") + "`"
}
