package chdbstore

import (
	"fmt"
	"path/filepath"
	"sync"

	"github.com/scalora/scalora/pipeline/store/libchdb"
)

// chDB runs one ClickHouse engine per process, on one data directory at a
// time. What libchdb 26.7 does (measured with chdb-go's binding, which
// calls the same C functions):
//
//   - chdb_connect on the directory already open succeeds and shares the
//     engine; closing one handle leaves the other working.
//   - chdb_connect on another directory while one is open fails.
//   - After the last close, a new chdb_connect may name any directory, and
//     reopening a directory finds its data.
//   - A handle used after chdb_close_conn hung the process for minutes.
//   - USE changes the current database of that handle only.
//   - Queries from 8 goroutines at once on one handle completed without
//     error; the header calls chdb_query thread-safe.
//
// So this package keeps one session per process, shared with a reference
// count by every Store opened on the same directory, and closed with the
// last of them. The session is a libchdb.Conn, the repository's one binding
// of the C API. libchdb allows one Conn per process, so a libchdb.Conn
// opened elsewhere in the process (tests, tools) makes Open fail with
// libchdb.ErrBusy until it is closed.
//
// Calls on the session are serialised by its mutex. That makes the
// current-database bookkeeping for Query exact and Close safe against a
// call in flight; the pipeline has one writer, so little is lost. It does
// mean a slow report query delays Writes.
type session struct {
	dir  string
	refs int // guarded by registry.mu

	mu        sync.Mutex // serialises every call on conn
	conn      *libchdb.Conn
	currentDB string // database chosen by the last USE on conn
}

var registry struct {
	mu   sync.Mutex
	open *session
}

// acquire returns the process's session on dir, opening it if none is open.
func acquire(dir string) (*session, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("resolve data directory: %w", err)
	}
	abs = filepath.Clean(abs)

	registry.mu.Lock()
	defer registry.mu.Unlock()

	if s := registry.open; s != nil {
		if s.dir != abs {
			return nil, fmt.Errorf("%w: open on %s, asked for %s", ErrOtherPathOpen, s.dir, abs)
		}
		s.refs++
		return s, nil
	}

	conn, err := libchdb.Open(abs)
	if err != nil {
		return nil, fmt.Errorf("connect chdb on %s: %w", abs, err)
	}
	registry.open = &session{dir: abs, refs: 1, conn: conn}
	return registry.open, nil
}

// release drops one reference; the last one closes the engine, after any
// query in flight has returned.
func (s *session) release() {
	registry.mu.Lock()
	defer registry.mu.Unlock()

	s.refs--
	if s.refs > 0 {
		return
	}

	s.mu.Lock()
	_ = s.conn.Close() // never fails
	s.conn = nil
	s.mu.Unlock()
	registry.open = nil
}

// exec runs q and returns its output in format. When db is not empty the
// statement runs with db as the current database.
func (s *session) exec(db, q, format string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	if s.conn == nil {
		return nil, fmt.Errorf("chdb session on %s is closed", s.dir)
	}
	if db != "" && db != s.currentDB {
		if _, err := s.conn.Query("USE "+quoteIdent(db), "TSV"); err != nil {
			return nil, fmt.Errorf("use database %s: %w", db, err)
		}
		s.currentDB = db
	}
	return s.conn.Query(q, format)
}
