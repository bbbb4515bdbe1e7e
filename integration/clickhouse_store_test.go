package integration

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/testcontainers/testcontainers-go"
	tcclickhouse "github.com/testcontainers/testcontainers-go/modules/clickhouse"

	"github.com/scalora/scalora/pipeline/store"
	"github.com/scalora/scalora/pipeline/store/chstore"
	"github.com/scalora/scalora/pipeline/store/storetest"
	"github.com/scalora/scalora/schemas"
)

// clickhouseImage is the server the store is checked against; override with
// SCALORA_CLICKHOUSE_IMAGE.
const clickhouseImage = "clickhouse/clickhouse-server:25.8-alpine"

// startClickHouse starts a ClickHouse server in Docker, or skips the test
// when no Docker engine is reachable.
func startClickHouse(t *testing.T) chstore.Config {
	t.Helper()
	t.Log("the ClickHouse server store needs a Docker engine; without one it is skipped " +
		"and only chDB runs the store conformance suite (pipeline/store/chdbstore)")
	testcontainers.SkipIfProviderIsNotHealthy(t)

	image := clickhouseImage
	if img := os.Getenv("SCALORA_CLICKHOUSE_IMAGE"); img != "" {
		image = img
	}

	ctx := context.Background()
	c, err := tcclickhouse.Run(ctx, image)
	testcontainers.CleanupContainer(t, c)
	if err != nil {
		t.Fatalf("start clickhouse: %v", err)
	}
	addr, err := c.ConnectionHost(ctx)
	if err != nil {
		t.Fatalf("clickhouse address: %v", err)
	}
	return chstore.Config{Addr: []string{addr}, Username: c.User, Password: c.Password, DialTimeout: 30 * time.Second}
}

func TestClickHouseStoreConformance(t *testing.T) {
	cfg := startClickHouse(t)

	n := 0
	storetest.Run(t, func() store.Store {
		n++
		c := cfg
		c.Database = fmt.Sprintf("conformance_%d", n)
		s, err := chstore.Open(c)
		if err != nil {
			t.Errorf("open: %v", err)
			return nil
		}
		return s
	})
}

// The brief's end-to-end check: Migrate twice, write the same batch twice,
// and read one row per natural key through FINAL.
func TestClickHouseStoreReplayKeepsOneRowPerKey(t *testing.T) {
	cfg := startClickHouse(t)
	cfg.Database = "replay"
	ctx := context.Background()

	s, err := chstore.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	for i := 0; i < 2; i++ {
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("migrate %d: %v", i, err)
		}
	}

	ts := time.Now().UTC().Truncate(time.Minute)
	b := &store.Batch{
		Steps:     []schemas.Step{{Host: "h1", Group: "g", Time: ts, CPU: 1}, {Host: "h2", Group: "g", Time: ts, CPU: 2}},
		Forecasts: []schemas.Forecast{{Host: "h1", Group: "g", Time: ts, StepSeconds: 60, Values: []float64{1, 2, 3}}},
		Decisions: []schemas.Decision{{Group: "g", Time: ts, Action: schemas.ActionMaintain}},
		Costs:     []schemas.Cost{{Group: "g", Time: ts, Provider: "aws", InstanceType: "m5.large"}},
	}
	for i := 0; i < 2; i++ {
		if err := s.Write(ctx, b); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}

	want := map[string]uint64{"steps": 2, "forecasts": 3, "anomalies": 0, "decisions": 1, "costs": 1}
	for table, n := range want {
		res, err := s.Query(ctx, "SELECT count() FROM "+table+" FINAL")
		if err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		if got := res.Rows[0][0]; got != n {
			t.Errorf("%s FINAL holds %v rows, want %d", table, got, n)
		}
	}
}
