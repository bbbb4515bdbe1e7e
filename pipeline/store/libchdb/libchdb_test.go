package libchdb

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// requireLib skips when the library is absent, unless SCALORA_REQUIRE_CHDB=1.
func requireLib(t *testing.T) {
	t.Helper()
	if err := Available(); err != nil {
		if os.Getenv("SCALORA_REQUIRE_CHDB") == "1" {
			t.Fatalf("SCALORA_REQUIRE_CHDB=1 but: %v", err)
		}
		t.Skip(err)
	}
}

func TestQueryPersistsAcrossReopen(t *testing.T) {
	requireLib(t)
	dir := filepath.Join(t.TempDir(), "db")

	c, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir); err != ErrBusy {
		t.Fatalf("second Open: err = %v, want ErrBusy", err)
	}
	for _, q := range []string{
		"CREATE DATABASE IF NOT EXISTS t",
		"CREATE TABLE t.x (k UInt32, v String) ENGINE = MergeTree ORDER BY k",
		"INSERT INTO t.x VALUES (1, 'a'), (2, 'b')",
	} {
		if _, err := c.Query(q, "CSV"); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}

	c, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	out, err := c.Query("SELECT sum(k), groupArray(v) FROM t.x", "CSV")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(out)); got != `3,"['a','b']"` {
		t.Fatalf("after reopen got %q", got)
	}
}

func TestQueryErrorIsReturned(t *testing.T) {
	requireLib(t)
	c, err := Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	_, err = c.Query("SELECT no_such_function(1)", "CSV")
	if err == nil || !strings.Contains(err.Error(), "no_such_function") {
		t.Fatalf("err = %v, want one naming the unknown function", err)
	}
}

func TestMissingLibraryIsAnErrorNotAPanic(t *testing.T) {
	t.Setenv("CHDB_LIB_PATH", filepath.Join(t.TempDir(), "absent.so"))
	if _, err := find(); err == nil || !strings.Contains(err.Error(), "setup-chdb.sh") {
		t.Fatalf("find() err = %v, want ErrNotInstalled naming the setup script", err)
	}
}
