// Package storetest is the conformance suite every store.Store backend
// passes: idempotent migrations and writes, typed query results, strings
// that survive any bytes, and the Close contract.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/scalora/scalora/pipeline/store"
	"github.com/scalora/scalora/schemas"
)

// Run runs the suite. open must return a new Store on an empty database of
// its own each time it is called (tables not created yet); Run migrates
// and closes it. open runs inside subtests: on failure it reports with
// t.Error on the parent (never t.Fatal, which must not be called from a
// subtest's goroutine) and returns nil, which fails the subtest.
func Run(t *testing.T, open func() store.Store) {
	tests := []struct {
		name string
		fn   func(*testing.T, store.Store)
	}{
		{"MigrateTwice", testMigrateTwice},
		{"WriteTwiceKeepsOneRowPerKey", testWriteTwice},
		{"LaterWriteReplacesEarlierRow", testLaterWriteWins},
		{"QueryReturnsTypedColumnsInOrder", testQueryTypes},
		{"ForecastHasOneRowPerHorizon", testForecastRows},
		{"SavingsViewCountsReplayedStepsOnce", testSavingsView},
		{"ReplayedOpportunityReplacesEarlierRow", testOpportunities},
		{"HostileStringsRoundTrip", testHostileStrings},
		{"EmptyBatchIsNoOp", testEmptyBatch},
		{"ConcurrentWrites", testConcurrentWrites},
		{"CallsAfterCloseFail", testClosed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open()
			if s == nil {
				t.Fatal("open returned no store")
			}
			closed := false
			t.Cleanup(func() {
				if !closed {
					_ = s.Close()
				}
			})

			if err := s.Migrate(context.Background()); err != nil {
				t.Fatalf("migrate: %v", err)
			}
			tc.fn(t, s)
			closed = tc.name == "CallsAfterCloseFail"
		})
	}
}

// base is a recent step start, so that the steps table's TTL keeps rows.
var base = time.Now().UTC().Truncate(time.Hour).Add(-24 * time.Hour)

// sampleBatch has 3 hosts x 4 steps in 2 groups, with a forecast (12
// horizons) and an anomaly per step, and a decision and cost per group and
// step.
func sampleBatch() *store.Batch {
	b := &store.Batch{}
	groups := []string{"web", "web", "db"}
	for h, host := range []string{"web-1", "web-2", "db-1"} {
		for i := 0; i < 4; i++ {
			ts := base.Add(time.Duration(i) * 5 * time.Minute)
			b.Steps = append(b.Steps, schemas.Step{
				Host: host, Group: groups[h], Time: ts, CPU: 10.25 + float64(h*10+i), Samples: 5,
			})

			vals := make([]float64, 12)
			for k := range vals {
				vals[k] = float64(h*100+i) + float64(k)/8
			}
			b.Forecasts = append(b.Forecasts, schemas.Forecast{
				Host: host, Group: groups[h], Time: ts, StepSeconds: 300, Values: vals,
				Model: "lstm-v1", Ready: true,
			})
			b.Anomalies = append(b.Anomalies, schemas.Anomaly{
				Host: host, Group: groups[h], Time: ts, Score: 0.5,
			})
		}
	}
	for _, g := range []string{"web", "db"} {
		for i := 0; i < 4; i++ {
			ts := base.Add(time.Duration(i) * 5 * time.Minute)
			b.Decisions = append(b.Decisions, schemas.Decision{
				Group: g, Time: ts, Action: schemas.ActionMaintain, Current: 4, Target: 3,
				DemandNow: 2.5, ForecastPeak: 2.75, HorizonSteps: 12, Model: "lstm-v1",
				Mode: schemas.ModePreview, Reason: "peak below target",
			})
			b.Costs = append(b.Costs, schemas.Cost{
				Group: g, Time: ts, Provider: "aws", Region: "us-east-1", InstanceType: "m5.large",
				PricePerHour: 0.096, StepSeconds: 300, StaticInstances: 4, DecidedInstances: 3,
				StaticCost: 0.032, DecidedCost: 0.024, Savings: 0.008,
			})
		}
		b.Opportunities = append(b.Opportunities, schemas.Opportunity{
			Group: g, Start: base, End: base.Add(20 * time.Minute), Provider: "aws",
			InstanceType: "m5.large", Removable: 1, InstanceHours: 1.0 / 3, Dollars: 0.032,
			Reason: "preview mode: recommendations not applied",
		})
	}
	return b
}

func testMigrateTwice(t *testing.T, s store.Store) {
	// Run already migrated once.
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	for _, table := range []string{"steps", "forecasts", "anomalies", "decisions", "costs", "savings_by_group"} {
		if n := count(t, s, "SELECT count() FROM "+table); n != 0 {
			t.Errorf("%s holds %d rows after migrate", table, n)
		}
	}
}

func testWriteTwice(t *testing.T, s store.Store) {
	ctx := context.Background()
	b := sampleBatch()
	for i := 0; i < 2; i++ {
		if err := s.Write(ctx, b); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}

	want := map[string]uint64{
		"steps": 12, "forecasts": 12 * 12, "anomalies": 12, "decisions": 8, "costs": 8,
		"missed_opportunities": 2,
	}
	for table, n := range want {
		if got := count(t, s, "SELECT count() FROM "+table+" FINAL"); got != n {
			t.Errorf("%s FINAL holds %d rows, want %d (one per natural key)", table, got, n)
		}
	}
}

func testLaterWriteWins(t *testing.T, s store.Store) {
	ctx := context.Background()
	step := schemas.Step{Host: "h", Group: "g", Time: base, CPU: 1, Samples: 1}
	if err := s.Write(ctx, &store.Batch{Steps: []schemas.Step{step}}); err != nil {
		t.Fatal(err)
	}

	// inserted_at has millisecond precision: make the second version later.
	time.Sleep(5 * time.Millisecond)
	step.CPU, step.Filled, step.Samples = 2, true, 0
	if err := s.Write(ctx, &store.Batch{Steps: []schemas.Step{step}}); err != nil {
		t.Fatal(err)
	}

	res := query(t, s, "SELECT cpu, filled, samples FROM steps FINAL")
	if len(res.Rows) != 1 {
		t.Fatalf("got %d rows, want 1", len(res.Rows))
	}
	if got := res.Rows[0]; got[0] != 2.0 || got[1] != true || got[2] != uint32(0) {
		t.Errorf("got %v, want the second write [2 true 0]", got)
	}
}

func testQueryTypes(t *testing.T, s store.Store) {
	ts := base.Add(1234 * time.Millisecond)
	step := schemas.Step{Host: "web-1", Group: "web", Time: ts, CPU: 0.1 + 0.2, Samples: 7, Filled: true}
	if err := s.Write(context.Background(), &store.Batch{Steps: []schemas.Step{step}}); err != nil {
		t.Fatal(err)
	}

	res := query(t, s, "SELECT host, ts, cpu, samples, filled, group FROM steps FINAL")
	wantCols := []string{"host", "ts", "cpu", "samples", "filled", "group"}
	if fmt.Sprint(res.Columns) != fmt.Sprint(wantCols) {
		t.Fatalf("columns %v, want %v", res.Columns, wantCols)
	}
	if len(res.Rows) != 1 {
		t.Fatalf("got %d rows, want 1", len(res.Rows))
	}

	row := res.Rows[0]
	if row[0] != "web-1" || row[5] != "web" {
		t.Errorf("host, group = %#v, %#v", row[0], row[5])
	}
	if got, ok := row[1].(time.Time); !ok || !got.Equal(ts) {
		t.Errorf("ts = %#v, want %v", row[1], ts)
	}
	if row[2] != 0.1+0.2 {
		t.Errorf("cpu = %#v, want exactly %v", row[2], 0.1+0.2)
	}
	if row[3] != uint32(7) || row[4] != true {
		t.Errorf("samples, filled = %#v, %#v", row[3], row[4])
	}

	res = query(t, s, "SELECT toInt64(-3) AS i, 'x' AS s, CAST(NULL AS Nullable(String)) AS n")
	if fmt.Sprint(res.Columns) != "[i s n]" || len(res.Rows) != 1 {
		t.Fatalf("got %v %v", res.Columns, res.Rows)
	}
	if r := res.Rows[0]; r[0] != int64(-3) || r[1] != "x" || r[2] != nil {
		t.Errorf("got %#v, want [-3 x <nil>]", r)
	}
}

func testForecastRows(t *testing.T, s store.Store) {
	f := schemas.Forecast{
		Host: "h", Group: "g", Time: base, StepSeconds: 300,
		Values: []float64{1.5, 2.5, 3.5}, Model: "last_value", Ready: false,
		Reason: "history 3 of 24 steps",
	}
	if err := s.Write(context.Background(), &store.Batch{Forecasts: []schemas.Forecast{f}}); err != nil {
		t.Fatal(err)
	}

	res := query(t, s, "SELECT horizon, value, target_ts, model, ready, reason FROM forecasts FINAL ORDER BY horizon")
	if len(res.Rows) != 3 {
		t.Fatalf("got %d rows, want 3", len(res.Rows))
	}
	for i, r := range res.Rows {
		wantTarget := base.Add(time.Duration(i+1) * 300 * time.Second)
		if r[0] != uint16(i+1) || r[1] != f.Values[i] {
			t.Errorf("row %d: horizon, value = %#v, %#v", i, r[0], r[1])
		}
		if got, ok := r[2].(time.Time); !ok || !got.Equal(wantTarget) {
			t.Errorf("row %d: target_ts = %#v, want %v", i, r[2], wantTarget)
		}
		if r[3] != f.Model || r[4] != false || r[5] != f.Reason {
			t.Errorf("row %d: model, ready, reason = %#v %#v %#v", i, r[3], r[4], r[5])
		}
	}
}

func testSavingsView(t *testing.T, s store.Store) {
	ctx := context.Background()
	b := sampleBatch()
	for i := 0; i < 2; i++ {
		if err := s.Write(ctx, b); err != nil {
			t.Fatal(err)
		}
	}

	res := query(t, s, "SELECT group, provider, instance_type, steps, static_cost, decided_cost, "+
		"savings, first_ts, last_ts FROM savings_by_group ORDER BY group")
	if len(res.Rows) != 2 {
		t.Fatalf("got %d rows, want 2 groups", len(res.Rows))
	}
	r := res.Rows[1] // web
	if r[0] != "web" || r[1] != "aws" || r[2] != "m5.large" || r[3] != uint64(4) {
		t.Errorf("web row = %#v", r)
	}
	if got, ok := r[6].(float64); !ok || got < 0.0319 || got > 0.0321 {
		t.Errorf("web savings = %#v, want 4 x 0.008", r[6])
	}
	if first, ok := r[7].(time.Time); !ok || !first.Equal(base) {
		t.Errorf("first_ts = %#v, want %v", r[7], base)
	}
	if last, ok := r[8].(time.Time); !ok || !last.Equal(base.Add(15*time.Minute)) {
		t.Errorf("last_ts = %#v", r[8])
	}
}

// hostile are names that break naive quoting, escaping or encoding.
var hostile = []string{
	`it's`, `"quoted"`, `back\slash`, `trailing\`, "new\nline", "tab\there", "cr\rlf",
	"nul\x00byte", "bell\x07", "ünïcödé-主机-🚀", "\xff\xfe not utf-8", "`tick`",
	`'); DROP TABLE steps; --`, `{db}`, `\N`, "", "x" + string(make([]byte, 200)),
}

func testHostileStrings(t *testing.T, s store.Store) {
	b := &store.Batch{}
	for i, h := range hostile {
		ts := base.Add(time.Duration(i) * time.Minute)
		b.Steps = append(b.Steps, schemas.Step{Host: h, Group: h, Time: ts, CPU: 1})
		b.Anomalies = append(b.Anomalies, schemas.Anomaly{Host: h, Group: "g", Time: ts, Explanation: h, Kind: h})
		b.Decisions = append(b.Decisions, schemas.Decision{Group: h, Time: ts, Reason: h, Model: h})
	}
	if err := s.Write(context.Background(), b); err != nil {
		t.Fatalf("write: %v", err)
	}

	checks := map[string]string{
		"host":        "SELECT host FROM steps FINAL",
		"group":       "SELECT group FROM steps FINAL",
		"explanation": "SELECT explanation FROM anomalies FINAL",
		"kind":        "SELECT kind FROM anomalies FINAL",
		"reason":      "SELECT reason FROM decisions FINAL",
	}
	want := append([]string(nil), hostile...)
	sort.Strings(want)
	for col, q := range checks {
		res := query(t, s, q)
		var got []string
		for _, r := range res.Rows {
			str, _ := r[0].(string)
			got = append(got, str)
		}
		sort.Strings(got)
		if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
			t.Errorf("%s round trip:\n got %q\nwant %q", col, got, want)
		}
	}
}

func testEmptyBatch(t *testing.T, s store.Store) {
	ctx := context.Background()
	if err := s.Write(ctx, &store.Batch{}); err != nil {
		t.Errorf("empty batch: %v", err)
	}
	if err := s.Write(ctx, nil); err != nil {
		t.Errorf("nil batch: %v", err)
	}
	if n := count(t, s, "SELECT count() FROM steps"); n != 0 {
		t.Errorf("steps holds %d rows after empty writes", n)
	}
}

func testConcurrentWrites(t *testing.T, s store.Store) {
	const writers, perWriter = 4, 5
	var wg sync.WaitGroup
	errs := make(chan error, writers*perWriter)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < perWriter; i++ {
				step := schemas.Step{
					Host: fmt.Sprintf("w%d", w), Group: "g",
					Time: base.Add(time.Duration(i) * time.Minute), CPU: 1,
				}
				if err := s.Write(context.Background(), &store.Batch{Steps: []schemas.Step{step}}); err != nil {
					errs <- err
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent write: %v", err)
	}

	if n := count(t, s, "SELECT count() FROM steps FINAL"); n != writers*perWriter {
		t.Errorf("steps holds %d rows, want %d", n, writers*perWriter)
	}
}

func testClosed(t *testing.T, s store.Store) {
	ctx := context.Background()
	if err := s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}

	b := sampleBatch()
	if err := s.Write(ctx, b); !errors.Is(err, store.ErrClosed) {
		t.Errorf("write after close: %v, want store.ErrClosed", err)
	}
	if _, err := s.Query(ctx, "SELECT 1"); !errors.Is(err, store.ErrClosed) {
		t.Errorf("query after close: %v, want store.ErrClosed", err)
	}
	if err := s.Ping(ctx); err == nil {
		t.Error("ping after close succeeded")
	}
	if err := s.Migrate(ctx); err == nil {
		t.Error("migrate after close succeeded")
	}
}

func query(t *testing.T, s store.Store, q string) *store.Result {
	t.Helper()
	res, err := s.Query(context.Background(), q)
	if err != nil {
		t.Fatalf("query %q: %v", q, err)
	}
	return res
}

func count(t *testing.T, s store.Store, q string) uint64 {
	t.Helper()
	res := query(t, s, q)
	if len(res.Rows) != 1 || len(res.Rows[0]) != 1 {
		t.Fatalf("query %q: got %v, want one value", q, res.Rows)
	}
	n, ok := res.Rows[0][0].(uint64)
	if !ok {
		t.Fatalf("query %q: count is %T, want uint64", q, res.Rows[0][0])
	}
	return n
}
