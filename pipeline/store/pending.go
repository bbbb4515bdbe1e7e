package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	ddl "github.com/scalora/scalora/schemas/sql"

	"github.com/scalora/scalora/schemas"
)

// Pending is a stored forecast, with its step's CPU, whose group step has
// no stored decision yet.
type Pending struct {
	Forecast schemas.Forecast
	CPU      float64
}

// LoadPending reads back, for the hosts of states (those of partition of
// source, as LoadStates returned them), the stored forecasts that
// the decision stage may still be waiting on: those of steps after their
// group's latest stored decision and at most lookback before the oldest
// state's last step, up to each host's state (Last), so that a forecast the
// state does not cover is left to the replay. They come oldest first.
func LoadPending(ctx context.Context, st Store, source string, partition int32, states []schemas.HostState,
	lookback time.Duration) ([]Pending, error) {
	if len(states) == 0 {
		return nil, nil
	}

	last := make(map[string]time.Time, len(states))
	groups := map[string]bool{}
	oldest := states[0].Last
	for _, hs := range states {
		if hs.Last.IsZero() {
			continue
		}
		last[hs.Host] = hs.Last
		groups[hs.Group] = true
		if hs.Last.Before(oldest) || oldest.IsZero() {
			oldest = hs.Last
		}
	}
	if len(last) == 0 {
		return nil, nil
	}

	decided, err := lastDecisions(ctx, st, groups)
	if err != nil {
		return nil, err
	}
	// A group step waits at most lookback for its hosts, so nothing older
	// than that before the oldest host state can still be pending; groups
	// decided since are filtered below.
	from := oldest.Add(-lookback)

	// The hosts are those of the partition, named by a subquery: a list of
	// a partition's hosts could exceed the largest query accepted.
	hosts := fmt.Sprintf("(SELECT host FROM host_state FINAL WHERE source = %s AND partition = %d)",
		ddl.QuoteString(source), partition)
	q := fmt.Sprintf(`SELECT f.host, f.group, f.ts, f.step_seconds, f.horizon, f.value, f.model, f.ready, f.reason, s.cpu
FROM (SELECT * FROM forecasts FINAL WHERE ts > %[1]s AND host IN %[2]s) AS f
INNER JOIN (SELECT host, ts, cpu FROM steps FINAL WHERE ts > %[1]s AND host IN %[2]s) AS s
  ON s.host = f.host AND s.ts = f.ts
ORDER BY f.ts, f.host, f.horizon`, timeLiteral(from), hosts)
	res, err := st.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("load pending forecasts: %w", err)
	}

	var out []Pending
	for _, r := range res.Rows {
		p, horizon, ok := pendingRow(r)
		if !ok {
			return nil, fmt.Errorf("load pending forecasts: unexpected row %v", r)
		}
		host, ts := p.Forecast.Host, p.Forecast.Time
		if d, ok := decided[p.Forecast.Group]; ok && !ts.After(d) {
			continue // its group step was decided
		}
		if l, ok := last[host]; !ok || ts.After(l) {
			continue // the replay produces it again
		}
		// Rows come by step, host and horizon: horizons after the first
		// extend the forecast of the row before.
		if n := len(out); horizon > 1 && n > 0 && out[n-1].Forecast.Host == host && out[n-1].Forecast.Time.Equal(ts) {
			out[n-1].Forecast.Values = append(out[n-1].Forecast.Values, p.Forecast.Values...)
			continue
		}
		out = append(out, p)
	}
	return out, nil // oldest first: the query orders by step
}

// lastDecisions returns the latest decided step of each group that has one.
func lastDecisions(ctx context.Context, st Store, groups map[string]bool) (map[string]time.Time, error) {
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, ddl.QuoteString(g))
	}
	res, err := st.Query(ctx, "SELECT group, max(ts) FROM decisions FINAL WHERE group IN ("+
		strings.Join(names, ", ")+") GROUP BY group")
	if err != nil {
		return nil, fmt.Errorf("load last decisions: %w", err)
	}
	out := make(map[string]time.Time, len(res.Rows))
	for _, r := range res.Rows {
		g, ok1 := r[0].(string)
		t, ok2 := r[1].(time.Time)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("load last decisions: unexpected row %v", r)
		}
		out[g] = t
	}
	return out, nil
}

func pendingRow(r []any) (p Pending, horizon int64, ok bool) {
	if len(r) != 10 {
		return p, 0, false
	}
	var oks [10]bool
	var value float64
	p.Forecast.Host, oks[0] = r[0].(string)
	p.Forecast.Group, oks[1] = r[1].(string)
	p.Forecast.Time, oks[2] = r[2].(time.Time)
	p.Forecast.StepSeconds, oks[3] = asInt64(r[3])
	horizon, oks[4] = asInt64(r[4])
	value, oks[5] = r[5].(float64)
	p.Forecast.Model, oks[6] = r[6].(string)
	p.Forecast.Ready, oks[7] = r[7].(bool)
	p.Forecast.Reason, oks[8] = r[8].(string)
	p.CPU, oks[9] = r[9].(float64)
	p.Forecast.Values = []float64{value}
	for _, b := range oks {
		if !b {
			return p, 0, false
		}
	}
	return p, horizon, true
}

func asInt64(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case uint16:
		return int64(x), true
	case uint32:
		return int64(x), true
	case int32:
		return int64(x), true
	case uint64:
		return int64(x), true
	case string:
		n, err := strconv.ParseInt(x, 10, 64)
		return n, err == nil
	}
	return 0, false
}

func timeLiteral(t time.Time) string {
	return "toDateTime64(" + ddl.QuoteString(t.UTC().Format("2006-01-02 15:04:05.000")) + ", 3, 'UTC')"
}
