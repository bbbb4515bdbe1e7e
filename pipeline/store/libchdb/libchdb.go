// Package libchdb binds the chDB library (ClickHouse as an in-process
// engine, libchdb.so) and loads it only when a connection is opened.
//
// Why not chdb-go's own binding: chdb-go v1.11.0 opens libchdb.so in a
// package init and panics when it is missing, so every binary and test that
// links it dies at start on a machine without the 566 MB library, even for
// "scalora version". This package calls the same C API (chdb_connect,
// chdb_query, ...) through purego, as chdb-go does, but on first use, and
// turns a missing library into an error that says how to install it.
package libchdb

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"unsafe"

	"github.com/ebitengine/purego"
)

// ErrNotInstalled is returned by Open when libchdb.so cannot be found or
// loaded.
var ErrNotInstalled = errors.New("libchdb not installed: run deploy/setup-chdb.sh " +
	"(it prints the library path) and set CHDB_LIB_PATH to that path")

// ErrBusy is returned by Open while another connection is open: the chDB
// engine holds one database per process.
var ErrBusy = errors.New("libchdb: a connection is already open in this process")

type connection struct{ internal unsafe.Pointer }

type result struct{ internal unsafe.Pointer }

var (
	loadOnce sync.Once
	loadErr  error
	libPath  string

	cConnect      func(argc int, argv []*byte) *connection
	cClose        func(conn *connection)
	cQuery        func(conn unsafe.Pointer, query, format string) *result
	cDestroy      func(res *result)
	cResultBuffer func(res *result) *byte
	cResultLength func(res *result) uint
	cResultError  func(res *result) string
)

// Path returns the library that was loaded, or "" before the first Open.
func Path() string { return libPath }

// load finds and opens libchdb.so once per process.
func load() error {
	loadOnce.Do(func() {
		path, err := find()
		if err != nil {
			loadErr = err
			return
		}
		lib, err := purego.Dlopen(path, purego.RTLD_NOW|purego.RTLD_GLOBAL)
		if err != nil {
			loadErr = fmt.Errorf("%w (dlopen %s: %v)", ErrNotInstalled, path, err)
			return
		}
		purego.RegisterLibFunc(&cConnect, lib, "chdb_connect")
		purego.RegisterLibFunc(&cClose, lib, "chdb_close_conn")
		purego.RegisterLibFunc(&cQuery, lib, "chdb_query")
		purego.RegisterLibFunc(&cDestroy, lib, "chdb_destroy_query_result")
		purego.RegisterLibFunc(&cResultBuffer, lib, "chdb_result_buffer")
		purego.RegisterLibFunc(&cResultLength, lib, "chdb_result_length")
		purego.RegisterLibFunc(&cResultError, lib, "chdb_result_error")
		libPath = path
	})
	return loadErr
}

// find looks for the library: CHDB_LIB_PATH, then the cache that
// deploy/setup-chdb.sh fills (SCALORA_CACHE, default ~/.cache/scalora), then
// the dynamic loader's own search path.
func find() (string, error) {
	if p := os.Getenv("CHDB_LIB_PATH"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%w (CHDB_LIB_PATH: %v)", ErrNotInstalled, err)
		}
		return p, nil
	}

	cache := os.Getenv("SCALORA_CACHE")
	if cache == "" {
		if home, err := os.UserHomeDir(); err == nil {
			cache = filepath.Join(home, ".cache", "scalora")
		}
	}
	if cache != "" {
		found, _ := filepath.Glob(filepath.Join(cache, "chdb", "*", "libchdb.so"))
		if len(found) > 0 {
			sort.Strings(found)
			return found[len(found)-1], nil
		}
	}
	return "libchdb.so", nil
}

// Available reports whether the library can be loaded, without opening a
// connection. Tests use it to skip.
func Available() error { return load() }

var (
	openMu sync.Mutex
	open   bool
)

// Conn is a connection to the in-process engine over one data folder.
// It is safe for concurrent use: queries are serialised, as the engine
// runs one query at a time per connection anyway.
type Conn struct {
	mu   sync.Mutex
	conn *connection
}

// Open loads the library if needed and opens the database in dir (created
// by the engine when missing). Only one Conn may be open per process.
func Open(dir string) (*Conn, error) {
	if err := load(); err != nil {
		return nil, err
	}
	openMu.Lock()
	defer openMu.Unlock()
	if open {
		return nil, ErrBusy
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("libchdb: data folder: %w", err)
	}

	args := []string{"clickhouse", "--path=" + dir}
	argv := make([]*byte, len(args))
	for i, a := range args {
		b := append([]byte(a), 0)
		argv[i] = &b[0]
	}
	c := cConnect(len(argv), argv)
	if c == nil {
		return nil, fmt.Errorf("libchdb: connect to %s failed", dir)
	}
	open = true
	return &Conn{conn: c}, nil
}

// Query runs one statement and returns its output in format (a ClickHouse
// output format name such as "JSONCompact"; ignored by statements that
// return nothing).
func (c *Conn) Query(query, format string) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn == nil {
		return nil, errors.New("libchdb: query on a closed connection")
	}

	res := cQuery(c.conn.internal, query, format)
	if res == nil {
		return nil, nil
	}
	defer cDestroy(res)

	if msg := cResultError(res); msg != "" {
		return nil, errors.New(msg)
	}
	n := cResultLength(res)
	buf := cResultBuffer(res)
	if n == 0 || buf == nil {
		return nil, nil
	}
	return append([]byte(nil), unsafe.Slice(buf, n)...), nil
}

// Close closes the connection; another Open may follow. Close is
// idempotent.
func (c *Conn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn == nil {
		return nil
	}
	cClose(c.conn)
	c.conn = nil

	openMu.Lock()
	open = false
	openMu.Unlock()
	return nil
}
