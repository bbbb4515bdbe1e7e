package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/scalora/scalora/pipeline/store"
	"github.com/scalora/scalora/pipeline/store/chdbstore"
	"github.com/scalora/scalora/pipeline/store/libchdb"
	"github.com/scalora/scalora/schemas"
)

// TestLoadPendingReturnsUndecidedForecastsTheStateCovers: of a host's
// stored forecasts, only those after its group's last decision and up to
// its state's last step come back, oldest first, with all their horizons
// and their step's CPU.
func TestLoadPendingReturnsUndecidedForecastsTheStateCovers(t *testing.T) {
	if err := libchdb.Available(); err != nil {
		if os.Getenv("SCALORA_REQUIRE_CHDB") == "1" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	st, err := chdbstore.Open(chdbstore.Config{Path: filepath.Join(t.TempDir(), "chdb")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}

	t0 := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	at := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }
	var b store.Batch
	for n := range 6 { // steps 0..5 of h1; step 5 is beyond its state
		b.Steps = append(b.Steps, schemas.Step{Host: "h1", Group: "g", Time: at(n), CPU: float64(10 + n), Samples: 1})
		b.Forecasts = append(b.Forecasts, schemas.Forecast{Host: "h1", Group: "g", Time: at(n), StepSeconds: 60,
			Values: []float64{float64(n), float64(n) + 0.5}, Model: "m", Ready: true})
	}
	b.Decisions = []schemas.Decision{{Group: "g", Time: at(2), Action: schemas.ActionMaintain, Current: 1, Target: 1, Reason: "r"}}
	state := schemas.HostState{Host: "h1", Group: "g", Source: "in", Partition: 3, Step: time.Minute, Size: 24,
		Next: at(5), Last: at(4), Newest: at(5), Updated: time.Now().UTC()}
	b.States = []schemas.HostState{state}
	if err := st.Write(ctx, &b); err != nil {
		t.Fatal(err)
	}

	got, err := store.LoadPending(ctx, st, "in", 3, []schemas.HostState{state}, 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("loaded %d pending forecasts, want steps 3 and 4: %+v", len(got), got)
	}
	for i, n := range []int{3, 4} {
		f := got[i].Forecast
		if !f.Time.Equal(at(n)) || len(f.Values) != 2 || f.Values[1] != float64(n)+0.5 || got[i].CPU != float64(10+n) ||
			f.Model != "m" || !f.Ready || f.StepSeconds != 60 {
			t.Errorf("pending %d = %+v (cpu %v), want step %d's forecast and CPU", i, f, got[i].CPU, n)
		}
	}

	// Another partition's hosts are not read.
	if got, err := store.LoadPending(ctx, st, "in", 4, []schemas.HostState{state}, 10*time.Minute); err != nil || len(got) != 0 {
		t.Errorf("partition 4: %d pending, err %v; want none", len(got), err)
	}
}
