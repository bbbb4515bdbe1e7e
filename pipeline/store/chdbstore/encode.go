package chdbstore

import (
	"strconv"
	"time"

	"github.com/scalora/scalora/pipeline/store"
	"github.com/scalora/scalora/schemas"
)

// The INSERT payloads are JSONCompactEachRow: one JSON array per row, values
// in the order of the statement's column list. Strings are escaped here
// rather than with encoding/json, because encoding/json replaces invalid
// UTF-8 with U+FFFD while ClickHouse strings are bytes: a host name must
// come back exactly as it was sent.

// The encoders expect a batch that passed store.Batch.Validate.

// Column lists of each INSERT, in the order the encoders write values.
const (
	stepColumns     = "host, group, ts, cpu, samples, filled"
	forecastColumns = "host, group, ts, step_seconds, horizon, value, model, ready, reason"
	anomalyColumns  = "host, group, ts, score, anomalous, kind, explanation"
	decisionColumns = "group, ts, action, current, target, demand_now, forecast_peak, horizon_steps, model, mode, reason"
	costColumns     = "group, ts, provider, region, instance_type, price_per_hour, step_seconds, " +
		"static_instances, decided_instances, static_cost, decided_cost, savings"
	opportunityColumns = "group, start, end, provider, instance_type, removable, instance_hours, dollars, reason"
	stateColumns       = "host, source, partition, seq, updated, state"
	errorColumns       = "host, group, ts, horizon, forecast, actual, abs_error, model"
)

// appendHeader appends the INSERT statement that precedes the rows.
func appendHeader(buf []byte, qdb, table, columns string) []byte {
	buf = append(buf, "INSERT INTO "...)
	buf = append(buf, qdb...)
	buf = append(buf, '.')
	buf = append(buf, table...)
	buf = append(buf, " ("...)
	buf = append(buf, columns...)
	return append(buf, ") FORMAT JSONCompactEachRow\n"...)
}

func appendSteps(buf []byte, rows []schemas.Step) []byte {
	for i := range rows {
		r := &rows[i]

		buf = append(buf, '[')
		buf = appendString(buf, r.Host)
		buf = appendString(append(buf, ','), r.Group)
		buf = appendTime(append(buf, ','), r.Time)
		buf = appendFloat(append(buf, ','), r.CPU)
		buf = strconv.AppendInt(append(buf, ','), int64(r.Samples), 10)
		buf = strconv.AppendBool(append(buf, ','), r.Filled)
		buf = append(buf, "]\n"...)
	}
	return buf
}

func appendErrors(buf []byte, rows []schemas.ForecastError) []byte {
	for i := range rows {
		r := &rows[i]

		buf = append(buf, '[')
		buf = appendString(buf, r.Host)
		buf = appendString(append(buf, ','), r.Group)
		buf = appendTime(append(buf, ','), r.Time)
		buf = strconv.AppendInt(append(buf, ','), int64(r.Horizon), 10)
		buf = appendFloat(append(buf, ','), r.Forecast)
		buf = appendFloat(append(buf, ','), r.Actual)
		buf = appendFloat(append(buf, ','), r.AbsError)
		buf = appendString(append(buf, ','), r.Model)
		buf = append(buf, "]\n"...)
	}
	return buf
}

// appendStates writes the states' JSON (store.EncodeState) as a string;
// updated keeps microseconds, since it orders a host's versions.
func appendStates(buf []byte, rows []schemas.HostState) []byte {
	for i := range rows {
		r := &rows[i]

		buf = append(buf, '[')
		buf = appendString(buf, r.Host)
		buf = appendString(append(buf, ','), r.Source)
		buf = strconv.AppendInt(append(buf, ','), int64(r.Partition), 10)
		buf = strconv.AppendInt(append(buf, ','), r.Seq, 10)
		buf = append(buf, ',', '"')
		buf = r.Updated.UTC().AppendFormat(buf, "2006-01-02 15:04:05.000000")
		buf = append(buf, '"', ',')
		buf = appendString(buf, string(store.EncodeState(nil, r)))
		buf = append(buf, "]\n"...)
	}
	return buf
}

// appendForecasts writes one row per value; horizon h (from 1) is the
// forecast for Time + h*StepSeconds.
func appendForecasts(buf []byte, rows []schemas.Forecast) []byte {
	var scratch []byte
	for i := range rows {
		r := &rows[i]

		// The fields shared by every horizon are encoded once, then copied
		// around each (horizon, value) pair.
		scratch = append(scratch[:0], '[')
		scratch = appendString(scratch, r.Host)
		scratch = appendString(append(scratch, ','), r.Group)
		scratch = appendTime(append(scratch, ','), r.Time)
		scratch = strconv.AppendInt(append(scratch, ','), r.StepSeconds, 10)
		scratch = append(scratch, ',')
		split := len(scratch)
		scratch = appendString(append(scratch, ','), r.Model)
		scratch = strconv.AppendBool(append(scratch, ','), r.Ready)
		scratch = appendString(append(scratch, ','), r.Reason)
		scratch = append(scratch, "]\n"...)

		for h, v := range r.Values {
			buf = append(buf, scratch[:split]...)
			buf = strconv.AppendUint(buf, uint64(h+1), 10)
			buf = appendFloat(append(buf, ','), v)
			buf = append(buf, scratch[split:]...)
		}
	}
	return buf
}

func appendAnomalies(buf []byte, rows []schemas.Anomaly) []byte {
	for i := range rows {
		r := &rows[i]

		buf = append(buf, '[')
		buf = appendString(buf, r.Host)
		buf = appendString(append(buf, ','), r.Group)
		buf = appendTime(append(buf, ','), r.Time)
		buf = appendFloat(append(buf, ','), r.Score)
		buf = strconv.AppendBool(append(buf, ','), r.Anomalous)
		buf = appendString(append(buf, ','), r.Kind)
		buf = appendString(append(buf, ','), r.Explanation)
		buf = append(buf, "]\n"...)
	}
	return buf
}

func appendDecisions(buf []byte, rows []schemas.Decision) []byte {
	for i := range rows {
		r := &rows[i]

		buf = append(buf, '[')
		buf = appendString(buf, r.Group)
		buf = appendTime(append(buf, ','), r.Time)
		buf = appendString(append(buf, ','), string(r.Action))
		buf = strconv.AppendInt(append(buf, ','), int64(r.Current), 10)
		buf = strconv.AppendInt(append(buf, ','), int64(r.Target), 10)
		buf = appendFloat(append(buf, ','), r.DemandNow)
		buf = appendFloat(append(buf, ','), r.ForecastPeak)
		buf = strconv.AppendInt(append(buf, ','), int64(r.HorizonSteps), 10)
		buf = appendString(append(buf, ','), r.Model)
		buf = appendString(append(buf, ','), string(r.Mode))
		buf = appendString(append(buf, ','), r.Reason)
		buf = append(buf, "]\n"...)
	}
	return buf
}

func appendCosts(buf []byte, rows []schemas.Cost) []byte {
	for i := range rows {
		r := &rows[i]

		buf = append(buf, '[')
		buf = appendString(buf, r.Group)
		buf = appendTime(append(buf, ','), r.Time)
		buf = appendString(append(buf, ','), r.Provider)
		buf = appendString(append(buf, ','), r.Region)
		buf = appendString(append(buf, ','), r.InstanceType)
		buf = appendFloat(append(buf, ','), r.PricePerHour)
		buf = strconv.AppendInt(append(buf, ','), r.StepSeconds, 10)
		buf = strconv.AppendInt(append(buf, ','), int64(r.StaticInstances), 10)
		buf = strconv.AppendInt(append(buf, ','), int64(r.DecidedInstances), 10)
		buf = appendFloat(append(buf, ','), r.StaticCost)
		buf = appendFloat(append(buf, ','), r.DecidedCost)
		buf = appendFloat(append(buf, ','), r.Savings)
		buf = append(buf, "]\n"...)
	}
	return buf
}

func appendOpportunities(buf []byte, rows []schemas.Opportunity) []byte {
	for i := range rows {
		r := &rows[i]

		buf = append(buf, '[')
		buf = appendString(buf, r.Group)
		buf = appendTime(append(buf, ','), r.Start)
		buf = appendTime(append(buf, ','), r.End)
		buf = appendString(append(buf, ','), r.Provider)
		buf = appendString(append(buf, ','), r.InstanceType)
		buf = strconv.AppendInt(append(buf, ','), int64(r.Removable), 10)
		buf = appendFloat(append(buf, ','), r.InstanceHours)
		buf = appendFloat(append(buf, ','), r.Dollars)
		buf = appendString(append(buf, ','), r.Reason)
		buf = append(buf, "]\n"...)
	}
	return buf
}

// appendTime writes t in UTC with millisecond precision (the columns'
// precision); finer digits are truncated.
func appendTime(buf []byte, t time.Time) []byte {
	return t.UTC().AppendFormat(buf, `"2006-01-02 15:04:05.000"`)
}

func appendFloat(buf []byte, f float64) []byte {
	return strconv.AppendFloat(buf, f, 'g', -1, 64)
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string. Bytes that are not valid UTF-8
// are written unchanged: ClickHouse keeps them, so they round-trip.
func appendString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}

		buf = append(buf, s[start:i]...)
		switch c {
		case '"', '\\':
			buf = append(buf, '\\', c)
		case '\n':
			buf = append(buf, '\\', 'n')
		case '\r':
			buf = append(buf, '\\', 'r')
		case '\t':
			buf = append(buf, '\\', 't')
		default:
			buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}

// tables are the tables a Write inserts into, in order.
var tables = [...]string{"steps", "forecasts", "anomalies", "decisions", "costs", "missed_opportunities", "forecast_errors", "host_state"}

// encodeBatch appends one INSERT statement per non-empty table of b to buf
// and returns buf and the statements (sub-slices of buf; nil for empty
// tables), indexed like tables.
func encodeBatch(buf []byte, qdb string, b *store.Batch) ([]byte, [len(tables)][]byte) {
	var out [len(tables)][]byte
	add := func(i int, n int, columns string, enc func([]byte) []byte) {
		if n == 0 {
			return
		}
		start := len(buf)
		buf = enc(appendHeader(buf, qdb, tables[i], columns))
		out[i] = buf[start:len(buf):len(buf)]
	}

	add(0, len(b.Steps), stepColumns, func(p []byte) []byte { return appendSteps(p, b.Steps) })
	add(1, len(b.Forecasts), forecastColumns, func(p []byte) []byte { return appendForecasts(p, b.Forecasts) })
	add(2, len(b.Anomalies), anomalyColumns, func(p []byte) []byte { return appendAnomalies(p, b.Anomalies) })
	add(3, len(b.Decisions), decisionColumns, func(p []byte) []byte { return appendDecisions(p, b.Decisions) })
	add(4, len(b.Costs), costColumns, func(p []byte) []byte { return appendCosts(p, b.Costs) })
	add(5, len(b.Opportunities), opportunityColumns, func(p []byte) []byte {
		return appendOpportunities(p, b.Opportunities)
	})
	add(6, len(b.Errors), errorColumns, func(p []byte) []byte { return appendErrors(p, b.Errors) })
	add(7, len(b.States), stateColumns, func(p []byte) []byte { return appendStates(p, b.States) })
	return buf, out
}
