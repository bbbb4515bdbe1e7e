// Package chdbstore keeps the pipeline's results in chDB, the ClickHouse
// engine as an in-process library (libchdb.so, loaded on first Open by
// package libchdb, from $CHDB_LIB_PATH or the cache deploy/setup-chdb.sh
// fills).
//
// chDB runs one engine per process on one data directory at a time: every
// Store opened on the same Path shares it, and Open on another Path fails
// with ErrOtherPathOpen until the Stores on the first are all closed.
// Calls are serialised on that shared engine (see session.go for what was
// measured and why).
package chdbstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"unsafe"

	"github.com/scalora/scalora/pipeline/store"
	"github.com/scalora/scalora/pipeline/store/migrate"
	ddl "github.com/scalora/scalora/schemas/sql"
)

// Config says where chDB keeps its data.
type Config struct {
	// Path is the data directory; created if missing. Required.
	Path string `yaml:"path"`
	// Database holds the tables. Default "scalora".
	Database string `yaml:"database"`
}

// SetDefaults fills the zero fields with the defaults documented on them.
func (c *Config) SetDefaults() {
	if c.Database == "" {
		c.Database = ddl.DefaultDatabase
	}
}

// Validate reports a configuration that cannot work.
func (c Config) Validate() error {
	if c.Path == "" {
		return errors.New("chdb config: path is required")
	}
	if err := ddl.ValidateDatabase(c.Database); err != nil {
		return fmt.Errorf("chdb config: %w", err)
	}
	return nil
}

// Store is a store.Store on chDB. It is safe for concurrent use; calls run
// one at a time on the process's engine.
//
// A call cannot be interrupted once it runs inside chDB: ctx is checked
// before each statement only.
type Store struct {
	cfg Config
	qdb string // quoted database name

	mu     sync.RWMutex // held shared by calls, exclusively by Close
	closed bool
	sess   *session

	bufs sync.Pool // *[]byte INSERT payloads
}

var _ store.Store = (*Store)(nil)

// Open opens (or shares) the chDB engine on cfg.Path. It does not create
// tables: call Migrate. It fails with ErrLibraryNotFound when libchdb.so
// cannot be loaded and with ErrOtherPathOpen when this process has chDB
// open on another directory.
func Open(cfg Config) (*Store, error) {
	cfg.SetDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}

	sess, err := acquire(cfg.Path)
	if err != nil {
		return nil, fmt.Errorf("open chdb store: %w", err)
	}
	return &Store{cfg: cfg, qdb: quoteIdent(cfg.Database), sess: sess}, nil
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

// MigrationEngine gives package migrate this store's engine, for tools
// that want migrate's report or its other operations (scalora migrate).
// Each call takes the store's lock for one statement; after Close they
// fail with store.ErrClosed.
func (s *Store) MigrationEngine() migrate.Engine {
	return migrate.Engine{
		Exec:  func(ctx context.Context, q string) error { return s.exec(ctx, "", q) },
		Query: s.Query,
	}
}

// Write stores b with one INSERT per non-empty table. The tables are not
// written atomically together: after an error some may hold their rows, and
// retrying the whole batch is the way to finish (writes are idempotent).
//
// A batch failing store.Batch.Validate is refused before anything is
// written; times are stored at millisecond precision (truncated).
//
// Each INSERT writes a new part to the data directory, which costs several
// milliseconds whatever its size (BenchmarkWriteOneStep: 7 to 14 ms on a
// shared 2-core machine, against about 90 ms for 13 000 rows in
// BenchmarkWriteBatch): callers should batch. Write returns once the part
// is in the files; like ClickHouse's default (fsync_after_insert=0) it does
// not fsync, so a machine crash, unlike a process crash, can lose it.
func (s *Store) Write(ctx context.Context, b *store.Batch) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return store.ErrClosed
	}
	if b == nil || b.Len() == 0 {
		return nil
	}

	if err := b.Validate(); err != nil {
		return fmt.Errorf("write: %w", err)
	}

	// Encode everything before writing, into one pooled buffer.
	bufp := s.getBuf()
	defer s.bufs.Put(bufp)
	var payloads [len(tables)][]byte
	*bufp, payloads = encodeBatch((*bufp)[:0], s.qdb, b)

	for i, p := range payloads {
		if p == nil {
			continue
		}
		// The payload is not modified until the pool gets it back, after
		// the call: viewing it as a string saves a copy of megabytes.
		if err := s.execLocked(ctx, "", unsafe.String(&p[0], len(p))); err != nil {
			return fmt.Errorf("write: insert %s: %w", tables[i], err)
		}
	}
	return nil
}

// Query runs one SQL statement with the store's database as the current
// one, so tables may be named unqualified. It is meant for reads; it does
// not refuse writes or DDL.
func (s *Store) Query(ctx context.Context, q string) (*store.Result, error) {
	if q == "" {
		return nil, errors.New("query: empty statement")
	}

	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}

	out, err := s.sess.exec(s.cfg.Database, q, resultFormat)
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	return decodeResult(out)
}

// Ping runs SELECT 1.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.exec(ctx, "", "SELECT 1"); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	return nil
}

// Close releases this Store's share of the engine; the last Store on the
// directory closes it. Close waits for calls in flight. A second Close
// returns store.ErrClosed.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.ErrClosed
	}

	s.closed = true
	s.sess.release()
	return nil
}

func (s *Store) exec(ctx context.Context, db, q string) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return store.ErrClosed
	}
	return s.execLocked(ctx, db, q)
}

// execLocked runs q; the caller holds s.mu shared.
func (s *Store) execLocked(ctx context.Context, db, q string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err := s.sess.exec(db, q, "TSV")
	return err
}

func (s *Store) getBuf() *[]byte {
	if p, ok := s.bufs.Get().(*[]byte); ok {
		return p
	}
	b := make([]byte, 0, 64<<10)
	return &b
}

// quoteIdent quotes a (validated) identifier with backticks.
func quoteIdent(name string) string { return ddl.QuoteIdent(name) }
