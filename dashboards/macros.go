package dashboards

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Range is what Grafana substitutes into a query: the dashboard's time
// range, the panel's interval and the variables' current values.
type Range struct {
	From, To time.Time
	// Interval is $__interval: the range over the panel's width in points.
	// Whole seconds; at least one.
	Interval time.Duration
	// Vars are the variables' values by name, without the $.
	Vars map[string]string
}

var (
	macroRE = regexp.MustCompile(`\$__([A-Za-z_]+)(\(([^()]*)\))?`)
	varRE   = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)`)
)

// Expand replaces the ClickHouse plugin's macros used by the boards, and
// the variables, as the plugin and Grafana do for r. A macro it does not
// know, or a variable r lacks, is an error, so that a panel cannot use
// something the tests did not expand. Variable values are pasted as
// they are: the boards put them inside quotes.
//
// Macros (seconds unless _ms): $__timeFilter(col), $__timeFilter_ms(col),
// $__fromTime, $__toTime, $__fromTime_ms, $__toTime_ms, $__interval_s,
// $__timeInterval(col).
func Expand(sql string, r Range) (string, error) {
	from, to := r.From.Unix(), r.To.Unix()
	interval := max(int64(r.Interval/time.Second), 1)

	var errs []string
	out := macroRE.ReplaceAllStringFunc(sql, func(m string) string {
		p := macroRE.FindStringSubmatch(m)
		name, hasArg, arg := p[1], p[2] != "", strings.TrimSpace(p[3])
		switch {
		case name == "timeFilter" && hasArg:
			return fmt.Sprintf("%s >= toDateTime(%d) AND %s <= toDateTime(%d)", arg, from, arg, to)
		case name == "timeFilter_ms" && hasArg:
			return fmt.Sprintf("%s >= fromUnixTimestamp64Milli(%d) AND %s <= fromUnixTimestamp64Milli(%d)",
				arg, r.From.UnixMilli(), arg, r.To.UnixMilli())
		case name == "timeInterval" && hasArg:
			return fmt.Sprintf("toStartOfInterval(toDateTime(%s), INTERVAL %d second)", arg, interval)
		case name == "fromTime" && !hasArg:
			return fmt.Sprintf("toDateTime(%d)", from)
		case name == "toTime" && !hasArg:
			return fmt.Sprintf("toDateTime(%d)", to)
		case name == "fromTime_ms" && !hasArg:
			return fmt.Sprintf("fromUnixTimestamp64Milli(%d)", r.From.UnixMilli())
		case name == "toTime_ms" && !hasArg:
			return fmt.Sprintf("fromUnixTimestamp64Milli(%d)", r.To.UnixMilli())
		case name == "interval_s" && !hasArg:
			return fmt.Sprint(interval)
		}
		errs = append(errs, m)
		return m
	})

	out = varRE.ReplaceAllStringFunc(out, func(m string) string {
		p := varRE.FindStringSubmatch(m)
		name := p[1] + p[2]
		v, ok := r.Vars[name]
		if !ok {
			errs = append(errs, m)
			return m
		}
		return v
	})

	if len(errs) > 0 {
		return "", fmt.Errorf("expand: unknown macros or variables %s", strings.Join(errs, ", "))
	}
	return out, nil
}
