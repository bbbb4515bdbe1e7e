package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/scalora/scalora/pipeline/store"
	"github.com/scalora/scalora/schemas"
)

// testOpportunities writes two missed scale-downs, replays one with new
// figures (as a replay that saw more of the interval would), and reads the
// ranked view: one row per (group, start), the replayed figures, the most
// expensive first, every column typed as the table says.
func testOpportunities(t *testing.T, s store.Store) {
	ctx := context.Background()
	small := schemas.Opportunity{
		Group: "db", Start: base, End: base.Add(30 * time.Minute), Provider: "gcp",
		InstanceType: "e2-standard-2", Removable: 1, InstanceHours: 0.5, Dollars: 0.034,
		Reason: "enforce mode: scale-in held back",
	}
	big := schemas.Opportunity{
		Group: "web", Start: base.Add(5 * time.Minute), End: base.Add(65 * time.Minute), Provider: "aws",
		InstanceType: "m5.large", Removable: 2, InstanceHours: 2, Dollars: 0.192,
		Reason: "preview mode: recommendations not applied",
	}
	if err := s.Write(ctx, &store.Batch{Opportunities: []schemas.Opportunity{small, big}}); err != nil {
		t.Fatal(err)
	}

	time.Sleep(5 * time.Millisecond) // inserted_at has millisecond precision
	small.End, small.InstanceHours, small.Dollars = base.Add(2*time.Hour), 2, 0.272
	if err := s.Write(ctx, &store.Batch{Opportunities: []schemas.Opportunity{small}}); err != nil {
		t.Fatal(err)
	}

	res := query(t, s, "SELECT group, start, end, provider, instance_type, removable, "+
		"instance_hours, dollars, reason FROM missed_opportunities_ranked")
	if len(res.Rows) != 2 {
		t.Fatalf("got %d rows, want 2 (one per group and start)", len(res.Rows))
	}

	first := res.Rows[0]
	if first[0] != "db" || first[3] != "gcp" || first[4] != "e2-standard-2" || first[8] != small.Reason {
		t.Errorf("first row %v, want the replayed db interval (now the most expensive)", first)
	}
	if got, ok := first[1].(time.Time); !ok || !got.Equal(small.Start) {
		t.Errorf("start = %#v, want %v", first[1], small.Start)
	}
	if got, ok := first[2].(time.Time); !ok || !got.Equal(small.End) {
		t.Errorf("end = %#v, want the replay's %v", first[2], small.End)
	}
	if first[5] != int32(1) || first[6] != 2.0 || first[7] != 0.272 {
		t.Errorf("removable, instance_hours, dollars = %#v %#v %#v, want 1 2 0.272", first[5], first[6], first[7])
	}
	if got := fmt.Sprintf("%v %v", res.Rows[1][0], res.Rows[1][7]); got != "web 0.192" {
		t.Errorf("second row group, dollars = %s, want web 0.192", got)
	}
}
