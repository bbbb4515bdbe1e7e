package integration

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/scalora/scalora/pipeline/app"
)

// queryRow runs q and returns its only row.
func queryRow(t *testing.T, a *app.App, q string) []any {
	t.Helper()
	res, err := a.Store().Query(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	if len(res.Rows) != 1 {
		t.Fatalf("%s: %d rows, want 1", q, len(res.Rows))
	}
	return res.Rows[0]
}

func queryInt(t *testing.T, a *app.App, q string) int64 {
	t.Helper()
	return toInt(t, queryRow(t, a, q)[0])
}

func queryInts2(t *testing.T, a *app.App, q string) (int64, int64) {
	t.Helper()
	row := queryRow(t, a, q)
	return toInt(t, row[0]), toInt(t, row[1])
}

func queryFloat(t *testing.T, a *app.App, q string) float64 {
	t.Helper()
	v := queryRow(t, a, q)[0]
	f, err := strconv.ParseFloat(fmt.Sprint(v), 64)
	if err != nil {
		t.Fatalf("%s: %v is not a number", q, v)
	}
	return f
}

func toInt(t *testing.T, v any) int64 {
	t.Helper()
	n, err := strconv.ParseInt(fmt.Sprint(v), 10, 64)
	if err != nil {
		t.Fatalf("%v (%T) is not an integer", v, v)
	}
	return n
}
