package trace

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// FormatPrometheus names the Prometheus query_range format.
const FormatPrometheus = "prometheus_query_range"

// promResponse is the body of Prometheus' /api/v1/query_range.
type promResponse struct {
	Status    string `json:"status"`
	ErrorType string `json:"errorType"`
	Error     string `json:"error"`
	Data      *struct {
		ResultType string `json:"resultType"`
		Result     []struct {
			Metric map[string]string   `json:"metric"`
			Values [][]json.RawMessage `json:"values"`
		} `json:"result"`
	} `json:"data"`
}

// ReadPrometheusAll reads the JSON answer of Prometheus' query_range API
// (resultType "matrix"): one series per data.result entry, each a host or
// whatever the query grouped by, named by its labels in Prometheus'
// notation (`name{a="1",b="2"}`, labels sorted). Values are
// [epoch seconds, "string"] pairs. An answer with status "error" is
// returned as an error carrying Prometheus' message. Instant queries
// (resultType "vector") are not read.
func ReadPrometheusAll(r io.Reader, opts Options) ([]*Series, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	data, err := readJSON(r, opts.MaxJSONBytes)
	if err != nil {
		return nil, err
	}

	var doc promResponse
	if err := decodeJSON(data, &doc); err != nil {
		return nil, err
	}
	if doc.Status != "" && doc.Status != "success" {
		return nil, &PathError{Path: "$.status", Reason: fmt.Sprintf("query failed: %s: %s", doc.ErrorType, clip(doc.Error, 200))}
	}
	if doc.Data == nil {
		return nil, &PathError{Path: "$.data", Reason: "missing"}
	}
	if doc.Data.ResultType != "matrix" {
		return nil, &PathError{Path: "$.data.resultType", Reason: fmt.Sprintf("want matrix (a range query), found %q", clip(doc.Data.ResultType, 40))}
	}

	set := seriesSet{format: FormatPrometheus}
	for i, res := range doc.Data.Result {
		const path = "$.data.result[%d].values"
		if err := set.budget(fmt.Sprintf(path, i), len(res.Values)); err != nil {
			return nil, err
		}

		pts := make([]Point, 0, len(res.Values))
		for j, pair := range res.Values {
			if len(pair) != 2 {
				return nil, &PathError{Path: fmt.Sprintf(path+"[%d]", i, j), Reason: fmt.Sprintf("want [time, value], found %d elements", len(pair))}
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
		set.add(promName(res.Metric), pts)
	}
	return set.result()
}

// ReadPrometheus reads a query_range answer holding one series; several
// series fail with ErrMultipleSeries (use ReadPrometheusAll).
func ReadPrometheus(r io.Reader, opts Options) (*Series, error) {
	return only(ReadPrometheusAll(r, opts))
}

// promName writes a label set as Prometheus does: the metric name, then
// the other labels sorted.
func promName(labels map[string]string) string {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		if k != "__name__" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)

	var b strings.Builder
	b.WriteString(labels["__name__"])
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(k + "=" + strconv.Quote(labels[k]))
	}
	b.WriteByte('}')
	return b.String()
}
