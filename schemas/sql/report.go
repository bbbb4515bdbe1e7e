package ddl

import (
	"fmt"
	"strings"
	"time"
)

// SavingsSQL is the savings report's query over db's costs table: per
// group, provider and instance type, the steps, the static and decided
// dollars and the savings, between from (inclusive) and to (exclusive),
// either of which may be zero for an open end, for one group or all. It
// reads with FINAL so that steps replayed after a crash count once. Times
// are written as epoch milliseconds and the group as an escaped literal,
// so no parameter can change the statement's shape. Both "scalora report
// savings" and GET /v1/reports/savings run it.
func SavingsSQL(db string, from, to time.Time, group string) string {
	var where []string
	if !from.IsZero() {
		where = append(where, fmt.Sprintf("ts >= fromUnixTimestamp64Milli(%d, 'UTC')", from.UnixMilli()))
	}
	if !to.IsZero() {
		where = append(where, fmt.Sprintf("ts < fromUnixTimestamp64Milli(%d, 'UTC')", to.UnixMilli()))
	}
	if group != "" {
		where = append(where, "group = "+QuoteString(group))
	}
	cond := ""
	if len(where) > 0 {
		cond = "WHERE " + strings.Join(where, " AND ") + "\n"
	}

	return `SELECT group, provider, instance_type, count() AS steps,
       sum(static_cost) AS static_usd, sum(decided_cost) AS decided_usd, sum(savings) AS savings_usd
FROM ` + QuoteIdent(db) + `.costs FINAL
` + cond + `GROUP BY group, provider, instance_type
ORDER BY group, provider, instance_type`
}

// QuoteString writes s as a ClickHouse string literal.
func QuoteString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
