package pipeline

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scalora/scalora/pipeline/store"
	"github.com/scalora/scalora/schemas"
)

// statesDown is the real store failing only the writes that carry host
// states, to show where in a flush they are written.
type statesDown struct {
	*faultyStore
	down atomic.Bool
}

func (s *statesDown) Write(ctx context.Context, b *store.Batch) error {
	if len(b.States) > 0 && s.down.Load() {
		return errStoreDown
	}
	return s.faultyStore.Write(ctx, b)
}

// TestOutboxWritesHostStatesAfterTheirRows: a flush writes the hosts'
// states only once their rows are stored, and a failed state write keeps
// both pending, so a state never gets ahead of the data it describes.
func TestOutboxWritesHostStatesAfterTheirRows(t *testing.T) {
	e := newOutboxEnv(t, OutboxConfig{})
	sd := &statesDown{faultyStore: e.store}
	e.outbox.store = sd

	snapshots := 0
	e.outbox.TrackStates(func(dst []schemas.HostState) []schemas.HostState {
		snapshots++
		return append(dst, schemas.HostState{Host: "h1", Source: "in", Step: time.Minute, Size: 24,
			Seq: int64(snapshots), Updated: time.Now().UTC()})
	})
	ctx := context.Background()
	if err := e.outbox.Add(ctx, stepBatch("h1", 0)); err != nil {
		t.Fatal(err)
	}

	// The rows are written, the state is refused: the flush fails and the
	// state stays pending.
	sd.down.Store(true)
	if err := e.outbox.Flush(ctx); !errors.Is(err, errStoreDown) {
		t.Fatalf("flush with states refused = %v, want the injected fault", err)
	}
	if n := e.count(t, "steps"); n != 1 {
		t.Fatalf("%d steps stored before the state, want 1", n)
	}
	if n := e.count(t, "host_state"); n != 0 {
		t.Fatalf("%d host states stored although their write failed", n)
	}

	sd.down.Store(false)
	if err := e.outbox.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	states, err := store.LoadStates(ctx, e.store, "in", []int32{0})
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != 1 || states[0].Seq != 2 {
		t.Fatalf("loaded %+v, want h1's latest state (seq 2)", states)
	}
	if n := e.count(t, "steps"); n != 1 {
		t.Errorf("%d steps after the retry, want the one step once", n)
	}
}
