package api

import (
	"fmt"
	"net/http"
	"time"

	ddl "github.com/scalora/scalora/schemas/sql"
)

// SavingsRow is one group, provider and instance type of the savings
// report. Money is in US dollars.
type SavingsRow struct {
	Group        string  `json:"group"`
	Provider     string  `json:"provider"`
	InstanceType string  `json:"instance_type"`
	Steps        uint64  `json:"steps"`
	StaticUSD    float64 `json:"static_usd"`
	DecidedUSD   float64 `json:"decided_usd"`
	SavingsUSD   float64 `json:"savings_usd"`
}

// SavingsReport answers GET /v1/reports/savings. From and To are null for
// an open end.
type SavingsReport struct {
	From  *time.Time   `json:"from"`
	To    *time.Time   `json:"to"`
	Group string       `json:"group,omitempty"`
	Rows  []SavingsRow `json:"rows"`
	Total SavingsRow   `json:"total"`
}

func (s *Server) savings(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, err := parseTime("from", q.Get("from"))
	if err == nil {
		var to time.Time
		if to, err = parseTime("to", q.Get("to")); err == nil {
			s.savingsBetween(w, r, from, to, q.Get("group"))
			return
		}
	}
	writeProblem(w, r, http.StatusBadRequest, "invalid-parameter", err.Error())
}

func (s *Server) savingsBetween(w http.ResponseWriter, r *http.Request, from, to time.Time, group string) {
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		writeProblem(w, r, http.StatusBadRequest, "invalid-parameter", "from must be before to")
		return
	}

	res, err := s.deps.Store.Query(r.Context(), ddl.SavingsSQL(s.deps.Database, from, to, group))
	if err != nil {
		s.log.Warn("savings report query failed", "err", err)
		writeProblem(w, r, http.StatusServiceUnavailable, "unavailable", "the store did not answer the savings query")
		return
	}

	rep := SavingsReport{Group: group, Rows: make([]SavingsRow, 0, len(res.Rows)), Total: SavingsRow{Group: "TOTAL"}}
	if !from.IsZero() {
		rep.From = &from
	}
	if !to.IsZero() {
		rep.To = &to
	}
	for i, row := range res.Rows {
		sr, ok := savingsRow(row)
		if !ok {
			s.log.Error("savings report row has unexpected types", "row", i)
			writeProblem(w, r, http.StatusInternalServerError, "internal", "the store answered an unexpected row")
			return
		}
		rep.Rows = append(rep.Rows, sr)
		rep.Total.Steps += sr.Steps
		rep.Total.StaticUSD += sr.StaticUSD
		rep.Total.DecidedUSD += sr.DecidedUSD
		rep.Total.SavingsUSD += sr.SavingsUSD
	}
	writeJSON(w, http.StatusOK, rep)
}

func savingsRow(r []any) (SavingsRow, bool) {
	var row SavingsRow
	if len(r) != 7 {
		return row, false
	}
	var ok [7]bool
	row.Group, ok[0] = r[0].(string)
	row.Provider, ok[1] = r[1].(string)
	row.InstanceType, ok[2] = r[2].(string)
	row.Steps, ok[3] = r[3].(uint64)
	row.StaticUSD, ok[4] = r[4].(float64)
	row.DecidedUSD, ok[5] = r[5].(float64)
	row.SavingsUSD, ok[6] = r[6].(float64)
	return row, ok == [7]bool{true, true, true, true, true, true, true}
}

// parseTime reads an RFC 3339 time or a date (midnight UTC); "" is zero.
func parseTime(param, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t.UTC(), nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %s: want an RFC 3339 time or a date like 2026-05-01", param, quote(v))
	}
	return t, nil
}
