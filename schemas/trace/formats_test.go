package trace

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas/trace/tracetest"
)

// The 12 real readings every sample in ../shared/data/formats and
// testdata holds: first and last rows, and the 5-minute step.
var (
	sampleFirst = Point{Time: time.Date(2014, 2, 14, 14, 27, 0, 0, time.UTC), CPU: 51.846000000000004}
	sampleLast  = Point{Time: time.Date(2014, 2, 14, 15, 22, 0, 0, time.UTC), CPU: 49.72}
)

const sampleStep = 5 * time.Minute

// formatCase is one export shape: where its sample lives, the reader made
// for it, and a corruption with the place the error must name.
type formatCase struct {
	file    string // under ../shared/data/formats, or testdata/ when local
	local   bool
	format  string
	name    string // the series name the content gives, "" when none
	read    func(io.Reader) ([]*Series, error)
	old     string // corrupt by replacing old
	new     string // with new
	errWant string // the line or JSON path the error must name
}

var formatCases = []formatCase{
	{
		file: "nab_style.csv", format: FormatNAB,
		read: func(r io.Reader) ([]*Series, error) { return one(ReadNAB(r)) },
		old:  "2014-02-14 14:37:00,41.244", new: "2014-02-14 14:37:00,41.2.44", errWant: "line 4, column 2",
	},
	{
		file: "aws_cloudwatch_timestamp_average.csv", format: FormatCloudWatchCSV,
		read: func(r io.Reader) ([]*Series, error) { return one(ReadCloudWatchCSV(r, Options{})) },
		old:  "14:42:00Z,48.56800000000001,Percent", new: "14:42:00Z,48.56800000000001,Bytes", errWant: "line 5, column 3",
	},
	{
		file: "aws_cloudwatch_get_metric_statistics.json", format: FormatCloudWatchStatistics, name: "CPUUtilization",
		read: func(r io.Reader) ([]*Series, error) { return one(ReadCloudWatchStatistics(r, Options{})) },
		old:  `"Average": 45.4,`, new: `"Average": "high",`, errWant: "$.Datapoints[2].Average",
	},
	{
		file: "prometheus_query_range.json", format: FormatPrometheus, name: `{instance="specimen:9100",job="node"}`,
		read: func(r io.Reader) ([]*Series, error) { return ReadPrometheusAll(r, Options{}) },
		old:  `"44.508"`, new: `"NaN"`, errWant: "$.data.result[0].values[1][1]",
	},
	{
		file: "aws_cloudwatch_get_metric_data.json", local: true, format: FormatCloudWatchMetricData, name: "CPUUtilization",
		read: func(r io.Reader) ([]*Series, error) { return ReadCloudWatchMetricData(r, Options{}) },
		old:  `"2014-02-14T15:17:00Z"`, new: `"yesterday"`, errWant: "$.MetricDataResults[0].Timestamps[1]",
	},
	{
		file: "datadog_query.json", local: true, format: FormatDatadog, name: "host:specimen",
		read: func(r io.Reader) ([]*Series, error) { return ReadDatadogAll(r, Options{}) },
		old:  "44.508", new: "-44.508", errWant: "$.series[0].pointlist[1][1]",
	},
	{
		file: "gcp_timeseries_list.json", local: true, format: FormatGCP, name: "specimen",
		read: func(r io.Reader) ([]*Series, error) { return ReadGCPAll(r, Options{}) },
		old:  `"doubleValue": 0.51846`, new: `"int64Value": "1"`, errWant: "$.timeSeries[0].points[11].value.doubleValue",
	},
	{
		file: "generic_epoch_ms.csv", local: true, format: FormatCSV,
		read: func(r io.Reader) ([]*Series, error) { return one(ReadCSV(r, Options{CPUColumn: "cpu_percent"})) },
		old:  "1392389220000,", new: "1392389220000x,", errWant: "line 6, column 1",
	},
}

func (c formatCase) path(t *testing.T) string {
	if c.local {
		return filepath.Join("testdata", c.file)
	}
	return filepath.Join(tracetest.SharedData(t), "formats", c.file)
}

func TestFormatsReadRealSamples(t *testing.T) {
	for _, c := range formatCases {
		t.Run(c.format, func(t *testing.T) {
			data, err := os.ReadFile(c.path(t))
			if err != nil {
				t.Fatal(err)
			}

			all, err := c.read(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			checkSample(t, all, c.format, c.name)

			// The same bytes through detection, with a byte-order mark.
			opts := Options{}
			if c.format == FormatCSV {
				opts.CPUColumn = "cpu_percent"
			}
			all, err = ReadAnyAll(bytes.NewReader(append([]byte("\xef\xbb\xbf"), data...)), "upload", opts)
			if err != nil {
				t.Fatalf("ReadAnyAll: %v", err)
			}
			checkSample(t, all, c.format, firstNonEmpty(c.name, "upload"))
		})
	}
}

func checkSample(t *testing.T, all []*Series, format, name string) {
	t.Helper()
	if len(all) != 1 {
		t.Fatalf("%d series, want 1", len(all))
	}
	s := all[0]
	if s.Format != format || s.Name != name {
		t.Errorf("format %q name %q, want %q %q", s.Format, s.Name, format, name)
	}
	if len(s.Points) != 12 {
		t.Fatalf("%d points, want 12", len(s.Points))
	}
	first, last := s.Points[0], s.Points[len(s.Points)-1]
	if !samePoint(first, sampleFirst) || !samePoint(last, sampleLast) {
		t.Errorf("first %v last %v, want %v and %v", first, last, sampleFirst, sampleLast)
	}
	if got := s.MedianStep(); got != sampleStep {
		t.Errorf("step %s, want %s", got, sampleStep)
	}
}

// samePoint compares CPU to 1e-9: GCP's fraction times 100 is not always
// the decimal it came from.
func samePoint(a, b Point) bool {
	return a.Time.Equal(b.Time) && math.Abs(a.CPU-b.CPU) < 1e-9
}

func TestFormatsRejectCorruptedCopy(t *testing.T) {
	for _, c := range formatCases {
		t.Run(c.format, func(t *testing.T) {
			data, err := os.ReadFile(c.path(t))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(data, []byte(c.old)) {
				t.Fatalf("sample does not contain %q: the corruption would test nothing", c.old)
			}
			bad := bytes.Replace(data, []byte(c.old), []byte(c.new), 1)

			_, err = c.read(bytes.NewReader(bad))
			if err == nil || !strings.Contains(err.Error(), c.errWant) {
				t.Fatalf("err %v, want one naming %q", err, c.errWant)
			}
			var pe *ParseError
			var je *PathError
			if !errors.As(err, &pe) && !errors.As(err, &je) {
				t.Errorf("err %T, want a *ParseError or *PathError", err)
			}
		})
	}
}
