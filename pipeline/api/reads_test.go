package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestPricingFiltersTheCatalog(t *testing.T) {
	f := newFixture(t, nil)
	rec := f.do(t, "GET", "/v1/pricing?provider=aws&type=m5.large", nil)
	checkSchema(t, rec.Body.Bytes(), "Pricing")
	var p Pricing
	_ = json.Unmarshal(rec.Body.Bytes(), &p)
	if rec.Code != 200 || len(p.Entries) == 0 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	for _, e := range p.Entries {
		if e.Provider != "aws" || e.InstanceType != "m5.large" || !(e.PricePerHour > 0) {
			t.Errorf("entry %+v", e)
		}
	}

	rec = f.do(t, "GET", "/v1/pricing?provider=nowhere", nil)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"entries": []`) {
		t.Errorf("%d %s", rec.Code, rec.Body)
	}
}

func TestSavingsReportQueriesTheStore(t *testing.T) {
	f := newFixture(t, nil)
	f.store.rows = [][]any{
		{"web", "aws", "m5.large", uint64(10), 2.0, 1.5, 0.5},
		{"db", "gcp", "e2-standard-2", uint64(5), 1.0, 1.0, 0.0},
	}
	rec := f.do(t, "GET", "/v1/reports/savings?from=2026-05-01&to=2026-05-02T00:00:00Z&group=o'brien", nil)
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	checkSchema(t, rec.Body.Bytes(), "SavingsReport")
	var r SavingsReport
	_ = json.Unmarshal(rec.Body.Bytes(), &r)
	if len(r.Rows) != 2 || r.Total.Steps != 15 || r.Total.SavingsUSD != 0.5 || r.From == nil {
		t.Errorf("report %+v", r)
	}
	if !strings.Contains(f.store.query, `group = 'o\'brien'`) || !strings.Contains(f.store.query, "`scalora`.costs FINAL") {
		t.Errorf("query %s", f.store.query)
	}

	problem(t, f.do(t, "GET", "/v1/reports/savings?from=yesterday", nil), http.StatusBadRequest)
	problem(t, f.do(t, "GET", "/v1/reports/savings?from=2026-05-02&to=2026-05-01", nil), http.StatusBadRequest)

	f.store.rows = [][]any{{"web"}}
	problem(t, f.do(t, "GET", "/v1/reports/savings", nil), http.StatusInternalServerError)
}

func TestLiveOfAnUnknownHostOrGroupIs404(t *testing.T) {
	f := newFixture(t, nil)
	problem(t, f.do(t, "GET", "/v1/hosts/nope/live", nil), http.StatusNotFound)
	problem(t, f.do(t, "GET", "/v1/groups/nope/live", nil), http.StatusNotFound)
}
