package trace

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Format names of the CloudWatch JSON exports.
const (
	FormatCloudWatchStatistics = "cloudwatch_get_metric_statistics"
	FormatCloudWatchMetricData = "cloudwatch_get_metric_data"
)

// cwStatistics is the output of "aws cloudwatch get-metric-statistics".
type cwStatistics struct {
	Label      string                       `json:"Label"`
	Datapoints []map[string]json.RawMessage `json:"Datapoints"`
}

// cwStatisticNames are the statistics ReadCloudWatchStatistics takes as the
// CPU value, in order of preference.
var cwStatisticNames = []string{"Average", "Maximum", "Minimum"}

// ReadCloudWatchStatistics reads the JSON of "aws cloudwatch
// get-metric-statistics": {"Label": ..., "Datapoints": [{"Timestamp",
// "Average", "Unit"}, ...]}. Datapoints come newest first and not always in
// order; they are sorted. The value is Average, or Maximum, or Minimum,
// whichever the export holds first in that order; Sum and SampleCount are
// not CPU percents and are not read. A Unit other than "Percent" is an
// error. The series is named after Label. opts may be the zero value.
func ReadCloudWatchStatistics(r io.Reader, opts Options) (*Series, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	data, err := readJSON(r, opts.MaxJSONBytes)
	if err != nil {
		return nil, err
	}

	var doc cwStatistics
	if err := decodeJSON(data, &doc); err != nil {
		return nil, err
	}
	if doc.Datapoints == nil {
		return nil, &PathError{Path: "$.Datapoints", Reason: "missing"}
	}

	set := seriesSet{format: FormatCloudWatchStatistics}
	if err := set.budget("$.Datapoints", len(doc.Datapoints)); err != nil {
		return nil, err
	}
	pts := make([]Point, 0, len(doc.Datapoints))
	for i, dp := range doc.Datapoints {
		p, err := cwDatapoint(dp, i, opts)
		if err != nil {
			return nil, err
		}
		pts = append(pts, p)
	}
	set.add(doc.Label, pts)
	return only(set.result())
}

// cwDatapoint reads Datapoints[i]; its path is formatted only on failure.
func cwDatapoint(dp map[string]json.RawMessage, i int, opts Options) (Point, error) {
	const path = "$.Datapoints[%d]"
	if unit, ok := dp["Unit"]; ok {
		var u string
		if err := json.Unmarshal(unit, &u); err != nil || (u != "Percent" && u != "") {
			return Point{}, atPath(fmt.Errorf("unit %s is not Percent", clip(string(unit), 40)), path+".Unit", i)
		}
	}
	ts, ok := dp["Timestamp"]
	if !ok {
		return Point{}, atPath(errors.New("missing"), path+".Timestamp", i)
	}
	t, err := jsonTime(ts, opts.Location)
	if err != nil {
		return Point{}, atPath(err, path+".Timestamp", i)
	}

	for _, stat := range cwStatisticNames {
		if raw, ok := dp[stat]; ok {
			v, err := jsonCPU(raw)
			if err != nil {
				return Point{}, atPath(err, path+".%s", i, stat)
			}
			return Point{Time: t, CPU: v}, nil
		}
	}
	return Point{}, atPath(errors.New("no "+strings.Join(cwStatisticNames, ", ")+" statistic"), path, i)
}

// cwMetricData is the output of "aws cloudwatch get-metric-data".
type cwMetricData struct {
	MetricDataResults []struct {
		ID         string            `json:"Id"`
		Label      string            `json:"Label"`
		Timestamps []json.RawMessage `json:"Timestamps"`
		Values     []json.RawMessage `json:"Values"`
	} `json:"MetricDataResults"`
}

// ReadCloudWatchMetricData reads the JSON of "aws cloudwatch
// get-metric-data": one series per MetricDataResults entry, named after its
// Label (or Id), with Timestamps[i] paired with Values[i]. Timestamps may
// be strings (the CLI) or epoch numbers (some SDKs); the default order is
// newest first and is sorted. Results without any value are dropped.
// Values are taken as CPU percent: the unit is not in this output.
func ReadCloudWatchMetricData(r io.Reader, opts Options) ([]*Series, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	data, err := readJSON(r, opts.MaxJSONBytes)
	if err != nil {
		return nil, err
	}

	var doc cwMetricData
	if err := decodeJSON(data, &doc); err != nil {
		return nil, err
	}
	if doc.MetricDataResults == nil {
		return nil, &PathError{Path: "$.MetricDataResults", Reason: "missing"}
	}

	set := seriesSet{format: FormatCloudWatchMetricData}
	for i, res := range doc.MetricDataResults {
		path := fmt.Sprintf("$.MetricDataResults[%d]", i)
		if len(res.Timestamps) != len(res.Values) {
			return nil, &PathError{Path: path, Reason: fmt.Sprintf("%d Timestamps but %d Values", len(res.Timestamps), len(res.Values))}
		}
		if err := set.budget(path, len(res.Values)); err != nil {
			return nil, err
		}

		pts := make([]Point, 0, len(res.Values))
		for j := range res.Values {
			t, err := jsonTime(res.Timestamps[j], opts.Location)
			if err != nil {
				return nil, atPath(err, "%s.Timestamps[%d]", path, j)
			}
			v, err := jsonCPU(res.Values[j])
			if err != nil {
				return nil, atPath(err, "%s.Values[%d]", path, j)
			}
			pts = append(pts, Point{Time: t, CPU: v})
		}

		name := res.Label
		if name == "" {
			name = res.ID
		}
		set.add(name, pts)
	}
	return set.result()
}
