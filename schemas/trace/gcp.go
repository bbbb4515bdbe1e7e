package trace

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// FormatGCP names the Google Cloud Monitoring timeSeries.list format.
const FormatGCP = "gcp_timeseries_list"

// gcpResponse is the body of Cloud Monitoring's projects.timeSeries.list.
type gcpResponse struct {
	TimeSeries []struct {
		Metric struct {
			Type   string            `json:"type"`
			Labels map[string]string `json:"labels"`
		} `json:"metric"`
		Resource struct {
			Labels map[string]string `json:"labels"`
		} `json:"resource"`
		Points []struct {
			Interval struct {
				EndTime json.RawMessage `json:"endTime"`
			} `json:"interval"`
			Value map[string]json.RawMessage `json:"value"`
		} `json:"points"`
	} `json:"timeSeries"`
}

// ReadGCPAll reads the JSON answer of Cloud Monitoring's timeSeries.list,
// as for compute.googleapis.com/instance/cpu/utilization: one series per
// timeSeries[] entry, named after metric.labels.instance_name, else
// resource.labels.instance_id, else metric.type. Each point's time is its
// interval.endTime and its value is value.doubleValue, a fraction of the
// reserved cores (0-1, a little above 1 when bursting) multiplied by 100
// into percent. Points come newest first and are sorted. Other value kinds
// (int64Value, distributionValue) are errors.
func ReadGCPAll(r io.Reader, opts Options) ([]*Series, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	data, err := readJSON(r, opts.MaxJSONBytes)
	if err != nil {
		return nil, err
	}

	var doc gcpResponse
	if err := decodeJSON(data, &doc); err != nil {
		return nil, err
	}
	if doc.TimeSeries == nil {
		return nil, &PathError{Path: "$.timeSeries", Reason: "missing"}
	}

	set := seriesSet{format: FormatGCP}
	for i, ts := range doc.TimeSeries {
		const path = "$.timeSeries[%d].points[%d]"
		if err := set.budget(fmt.Sprintf("$.timeSeries[%d].points", i), len(ts.Points)); err != nil {
			return nil, err
		}

		pts := make([]Point, 0, len(ts.Points))
		for j, p := range ts.Points {
			t, err := jsonTime(p.Interval.EndTime, opts.Location)
			if err != nil {
				return nil, atPath(err, path+".interval.endTime", i, j)
			}
			raw, ok := p.Value["doubleValue"]
			if !ok {
				return nil, atPath(errors.New("missing: only DOUBLE utilization metrics are read"), path+".value.doubleValue", i, j)
			}
			v, err := jsonNumber(raw)
			if err == nil {
				v *= 100
				err = checkCPU(v)
			}
			if err != nil {
				return nil, atPath(err, path+".value.doubleValue", i, j)
			}
			pts = append(pts, Point{Time: t, CPU: v})
		}
		set.add(firstNonEmpty(ts.Metric.Labels["instance_name"], ts.Resource.Labels["instance_id"], ts.Metric.Type), pts)
	}
	return set.result()
}

// ReadGCP reads a timeSeries.list answer holding one series; several
// series fail with ErrMultipleSeries (use ReadGCPAll).
func ReadGCP(r io.Reader, opts Options) (*Series, error) {
	return only(ReadGCPAll(r, opts))
}
