package backend

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/scalora/scalora/pipeline/store/libchdb"
)

func TestValidateChecksTheChosenBackendOnly(t *testing.T) {
	cfg := Config{Backend: ClickHouse} // CHDB.Path empty: fine, not chosen
	cfg.SetDefaults()
	if err := cfg.Validate(); err != nil {
		t.Errorf("clickhouse backend: %v", err)
	}

	cfg = Config{}
	cfg.SetDefaults()
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "path") {
		t.Errorf("default chdb backend without a path: %v, want a path error", err)
	}

	cfg = Config{Backend: "sqlite"}
	cfg.SetDefaults()
	if err := cfg.Validate(); err == nil {
		t.Error("unknown backend accepted")
	}
}

// Open does not ping (a fresh server lacks the database until Migrate),
// so an absent server shows at the first call that needs it.
func TestPingFailsWhenTheServerDoesNotAnswer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	cfg := Config{Backend: ClickHouse}
	cfg.ClickHouse.Addr = []string{"127.0.0.1:1"}
	cfg.ClickHouse.DialTimeout = time.Second
	s, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Ping(ctx); err == nil {
		t.Fatal("ping succeeded with no server")
	}
}

func TestOpenChDB(t *testing.T) {
	if err := libchdb.Available(); err != nil {
		t.Skipf("chDB library absent (%v); run deploy/setup-chdb.sh and set CHDB_LIB_PATH", err)
	}

	cfg := Config{Backend: CHDB}
	cfg.CHDB.Path = t.TempDir()
	s, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}
