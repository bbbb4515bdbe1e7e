package trace

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// FormatDatadog names the Datadog metrics query format.
const FormatDatadog = "datadog_query"

// ddResponse is the body of Datadog's v1 metrics query API
// (GET /api/v1/query).
type ddResponse struct {
	Status string `json:"status"`
	Error  string `json:"error"`
	Series []struct {
		Metric      string              `json:"metric"`
		Scope       string              `json:"scope"`
		Expression  string              `json:"expression"`
		DisplayName string              `json:"display_name"`
		Pointlist   [][]json.RawMessage `json:"pointlist"`
	} `json:"series"`
}

// ReadDatadogAll reads the JSON answer of Datadog's metrics query API: one
// series per series[] entry, named after its scope ("host:web-1"), else its
// expression, else its metric. Points are [epoch milliseconds, value];
// a null value (no data in that interval) is skipped, not an error. Values
// are taken as CPU percent, as Datadog's system.cpu.* metrics are.
func ReadDatadogAll(r io.Reader, opts Options) ([]*Series, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	data, err := readJSON(r, opts.MaxJSONBytes)
	if err != nil {
		return nil, err
	}

	var doc ddResponse
	if err := decodeJSON(data, &doc); err != nil {
		return nil, err
	}
	if doc.Status == "error" {
		return nil, &PathError{Path: "$.status", Reason: "query failed: " + clip(doc.Error, 200)}
	}
	if doc.Series == nil {
		return nil, &PathError{Path: "$.series", Reason: "missing"}
	}

	set := seriesSet{format: FormatDatadog}
	for i, s := range doc.Series {
		const path = "$.series[%d].pointlist"
		if err := set.budget(fmt.Sprintf(path, i), len(s.Pointlist)); err != nil {
			return nil, err
		}

		pts := make([]Point, 0, len(s.Pointlist))
		for j, pair := range s.Pointlist {
			if len(pair) != 2 {
				return nil, &PathError{Path: fmt.Sprintf(path+"[%d]", i, j), Reason: fmt.Sprintf("want [time, value], found %d elements", len(pair))}
			}
			if strings.TrimSpace(string(pair[1])) == "null" {
				continue
			}
			t, err := jsonTime(pair[0], opts.Location)
			if err != nil {
				return nil, atPath(err, path+"[%d][0]", i, j)
			}
			v, err := jsonCPU(pair[1])
			if err != nil {
				return nil, atPath(err, path+"[%d][1]", i, j)
			}
			pts = append(pts, Point{Time: t, CPU: v})
		}
		set.add(firstNonEmpty(s.Scope, s.Expression, s.Metric, s.DisplayName), pts)
	}
	return set.result()
}

// ReadDatadog reads a Datadog query answer holding one series; several
// series fail with ErrMultipleSeries (use ReadDatadogAll).
func ReadDatadog(r io.Reader, opts Options) (*Series, error) {
	return only(ReadDatadogAll(r, opts))
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
