// Package chstore keeps the pipeline's results on ClickHouse servers through
// clickhouse-go's native protocol, with the same DDL as the embedded chDB
// store (package schemas/sql).
package chstore

import (
	"context"
	"crypto/tls"
	"fmt"
	"reflect"
	"sync"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/scalora/scalora/pipeline/store"
	"github.com/scalora/scalora/pipeline/store/migrate"
	ddl "github.com/scalora/scalora/schemas/sql"
)

// Store is a store.Store on a ClickHouse server. It is safe for concurrent
// use: clickhouse-go pools connections.
type Store struct {
	cfg  Config
	qdb  string
	conn driver.Conn

	mu     sync.RWMutex // held shared by calls, exclusively by Close
	closed bool
}

var _ store.Store = (*Store)(nil)

// Open prepares a connection pool to the database cfg.Database. It does not
// dial (clickhouse-go connects on first use; call Ping to check) and does
// not create tables: call Migrate.
func Open(cfg Config) (*Store, error) {
	cfg.SetDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}

	conn, err := clickhouse.Open(options(cfg, cfg.Database))
	if err != nil {
		return nil, fmt.Errorf("open clickhouse store: %w", err)
	}
	return &Store{cfg: cfg, qdb: ddl.QuoteIdent(cfg.Database), conn: conn}, nil
}

func options(cfg Config, database string) *clickhouse.Options {
	o := &clickhouse.Options{
		Addr:        cfg.Addr,
		Auth:        clickhouse.Auth{Database: database, Username: cfg.Username, Password: cfg.Password},
		DialTimeout: cfg.DialTimeout,
	}
	if cfg.TLS {
		o.TLS = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	return o
}

// Config returns the configuration with defaults filled in.
func (s *Store) Config() Config { return s.cfg }

// Migrate applies the numbered DDL files of package schemas/sql that the
// database's schema_migrations ledger does not record (package migrate).
// It fails with migrate.ErrChecksumChanged when an applied file was edited.
func (s *Store) Migrate(ctx context.Context) error {
	if _, err := migrate.Apply(ctx, s.MigrationEngine(), s.cfg.Database); err != nil {
		return err
	}
	return nil
}

// MigrationEngine gives package migrate this store's server. The database
// is created on a short-lived connection to the server's "default"
// database, since the pool's handshake names a database that may not exist
// yet. Each call takes the store's lock for one statement; after Close
// they fail with store.ErrClosed.
func (s *Store) MigrationEngine() migrate.Engine {
	return migrate.Engine{
		Bootstrap: s.execAdmin,
		Exec: func(ctx context.Context, q string) error {
			s.mu.RLock()
			defer s.mu.RUnlock()
			if s.closed {
				return store.ErrClosed
			}
			return s.conn.Exec(ctx, q)
		},
		Query: s.Query,
	}
}

func (s *Store) execAdmin(ctx context.Context, q string) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return store.ErrClosed
	}

	admin, err := clickhouse.Open(options(s.cfg, "default"))
	if err != nil {
		return fmt.Errorf("open admin connection: %w", err)
	}
	defer admin.Close()
	return admin.Exec(ctx, q)
}

// Query runs one SQL statement on the store's database (tables may be
// named unqualified). Values have the Go types clickhouse-go scans into;
// Nullable values are dereferenced, NULL is nil. It is meant for reads; it
// does not refuse writes or DDL.
func (s *Store) Query(ctx context.Context, q string) (*store.Result, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, store.ErrClosed
	}

	rows, err := s.conn.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	defer rows.Close()

	res := &store.Result{Columns: rows.Columns()}
	types := rows.ColumnTypes()
	for rows.Next() {
		dest := make([]any, len(types))
		for i, ct := range types {
			dest[i] = reflect.New(ct.ScanType()).Interface()
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("query: scan: %w", err)
		}

		row := make([]any, len(dest))
		for i, d := range dest {
			row[i] = deref(reflect.ValueOf(d).Elem())
		}
		res.Rows = append(res.Rows, row)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	return res, nil
}

// deref turns a scanned value into a plain one: pointers (Nullable) are
// followed, nil pointers become nil.
func deref(v reflect.Value) any {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	return v.Interface()
}

// Ping checks that a server answers.
func (s *Store) Ping(ctx context.Context) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return store.ErrClosed
	}
	if err := s.conn.Ping(ctx); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	return nil
}

// Close closes the pool, after calls in flight. A second Close returns
// store.ErrClosed.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.ErrClosed
	}
	s.closed = true
	if err := s.conn.Close(); err != nil {
		return fmt.Errorf("close clickhouse store: %w", err)
	}
	return nil
}
