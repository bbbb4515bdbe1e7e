package store

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas"
)

func TestValidateNamesTheBadRow(t *testing.T) {
	now := time.Now()
	cases := []struct {
		b    Batch
		want string // "" means valid
	}{
		{Batch{Steps: []schemas.Step{{Time: now, CPU: 1}}}, ""},
		{Batch{Steps: []schemas.Step{{Time: now}, {}}}, "steps[1]: ts"},
		{Batch{Steps: []schemas.Step{{Time: now, Samples: -1}}}, "steps[0]: samples"},
		{Batch{Forecasts: []schemas.Forecast{{Time: now, Values: []float64{1, math.NaN()}}}}, "forecasts[0]: non-finite"},
		{Batch{Anomalies: []schemas.Anomaly{{Time: time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)}}}, "anomalies[0]: ts"},
		{Batch{Decisions: []schemas.Decision{{Time: now, Target: math.MaxInt32 + 1}}}, "decisions[0]: value"},
		{Batch{Costs: []schemas.Cost{{Time: now, Savings: math.Inf(-1)}}}, "costs[0]: non-finite"},
		{Batch{Opportunities: []schemas.Opportunity{{Start: now, End: now, Dollars: 1}}}, ""},
		{Batch{Opportunities: []schemas.Opportunity{{Start: now}}}, "opportunities[0]: ts"},
		{Batch{Opportunities: []schemas.Opportunity{{Start: now, End: now, Dollars: math.NaN()}}}, "opportunities[0]: non-finite"},
	}
	for i, c := range cases {
		err := c.b.Validate()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("case %d: %v", i, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("case %d: err = %v, want it to contain %q", i, err, c.want)
		}
	}
}

func TestDropInvalidKeepsTheValidRowsInOrder(t *testing.T) {
	ok := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	b := Batch{
		Steps: []schemas.Step{
			{Host: "a", Time: ok, CPU: 1},
			{Host: "b", Time: time.Date(1850, 1, 1, 0, 0, 0, 0, time.UTC), CPU: 2},
			{Host: "c", Time: ok, CPU: 3},
		},
		Anomalies: []schemas.Anomaly{{Host: "a", Time: ok, Score: math.NaN()}},
		Opportunities: []schemas.Opportunity{
			{Group: "a", Start: ok, End: ok.Add(time.Hour)},
			{Group: "b", Start: ok, End: ok, Removable: math.MaxInt32 + 1},
		},
	}

	n, err := b.DropInvalid()
	if n != 3 || err == nil {
		t.Fatalf("dropped %d (err %v), want 3 with the first reason", n, err)
	}
	if len(b.Steps) != 2 || b.Steps[0].Host != "a" || b.Steps[1].Host != "c" || len(b.Anomalies) != 0 ||
		len(b.Opportunities) != 1 || b.Opportunities[0].Group != "a" {
		t.Fatalf("kept %+v, %+v and %+v", b.Steps, b.Anomalies, b.Opportunities)
	}
	if err := b.Validate(); err != nil {
		t.Fatalf("what DropInvalid keeps must validate: %v", err)
	}
}
