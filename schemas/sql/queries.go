package ddl

import (
	_ "embed"
	"regexp"
	"strings"
)

//go:embed QUERIES.md
var queriesMD string

// Query is one of the report queries of QUERIES.md.
type Query struct {
	// Title is the heading above the query.
	Title string
	// SQL is the statement, naming the default database scalora.
	SQL string
}

var queryRE = regexp.MustCompile("(?s)### ([^\n]+)\n+```sql\n(.*?)```")

// Queries returns the queries of QUERIES.md in order, so that tests can
// run exactly what users paste.
func Queries() []Query {
	var out []Query
	for _, m := range queryRE.FindAllStringSubmatch(queriesMD, -1) {
		out = append(out, Query{Title: m[1], SQL: strings.TrimSpace(m[2])})
	}
	return out
}
