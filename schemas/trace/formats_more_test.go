package trace

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas/trace/tracetest"
)

func TestPrometheusSeveralHostsNamedByLabels(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "prometheus_two_hosts.json"))
	if err != nil {
		t.Fatal(err)
	}
	all, err := ReadAnyAll(bytes.NewReader(data), "upload", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 {
		t.Fatalf("%d series, want 2", len(all))
	}
	want := []string{
		`instance:cpu_utilisation:percent{instance="specimen:9100",job="node"}`,
		`instance:cpu_utilisation:percent{instance="rds-cc0c53:9100",job="node"}`,
	}
	for i, s := range all {
		if s.Name != want[i] || s.Format != FormatPrometheus || len(s.Points) != 12 {
			t.Errorf("series %d: %q %q %d points, want %q with 12", i, s.Name, s.Format, len(s.Points), want[i])
		}
	}
	rdsFirst := Point{Time: time.Date(2014, 2, 14, 14, 30, 0, 0, time.UTC), CPU: 6.456}
	if !samePoint(all[1].Points[0], rdsFirst) {
		t.Errorf("second host first point %v, want %v", all[1].Points[0], rdsFirst)
	}

	if _, err := ReadPrometheus(bytes.NewReader(data), Options{}); !errors.Is(err, ErrMultipleSeries) {
		t.Errorf("single-series helper: err %v, want ErrMultipleSeries", err)
	}
	path := filepath.Join(t.TempDir(), "two.json")
	must(t, os.WriteFile(path, data, 0o644))
	if _, err := ReadAny(path); !errors.Is(err, ErrMultipleSeries) {
		t.Errorf("ReadAny: err %v, want ErrMultipleSeries", err)
	}
}

func TestReadAnyNamesJSONSampleAfterFile(t *testing.T) {
	path := filepath.Join(tracetest.SharedData(t), "formats", "aws_cloudwatch_get_metric_statistics.json")
	s, err := ReadAny(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "aws_cloudwatch_get_metric_statistics" || s.Format != FormatCloudWatchStatistics {
		t.Errorf("name %q format %q", s.Name, s.Format)
	}
}

func TestJSONUnsortedDuplicatesMerged(t *testing.T) {
	in := `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[
		[1392388320,"10"],[1392388020,"4"],[1392388320,"20"],[1392388020.5,"1"]]}]}}`
	s, err := ReadPrometheus(strings.NewReader(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{4, 1, 15}
	if len(s.Points) != len(want) {
		t.Fatalf("points %v, want CPU %v", s.Points, want)
	}
	for i, p := range s.Points {
		if p.CPU != want[i] {
			t.Errorf("point %d CPU %g, want %g (sorted, duplicates averaged)", i, p.CPU, want[i])
		}
	}
	if got := s.Points[1].Time.Sub(s.Points[0].Time); got != 500*time.Millisecond {
		t.Errorf("fractional epoch kept as %s, want 500ms", got)
	}
}

func TestJSONTooLargeIsReportedAsSuch(t *testing.T) {
	in := `{"Datapoints":[` + strings.Repeat(`{"Timestamp":"2014-02-14T14:27:00Z","Average":1},`, 100) + `{}]}`
	_, err := ReadAnyAll(strings.NewReader(in), "x", Options{MaxJSONBytes: 1024})
	if !errors.Is(err, ErrInputTooLarge) || !strings.Contains(err.Error(), "1024") {
		t.Errorf("err %v, want ErrInputTooLarge naming the limit", err)
	}
}

func TestJSONErrorsNamePath(t *testing.T) {
	cases := []struct {
		name, in, path string
		read           func(string) error
	}{
		{"syntax", `{"data": [`, "$", promErr},
		{"type mismatch", `{"status":"success","data":{"resultType":"matrix","result":[{"values":"x"}]}}`, "$.data.result.values", promErr},
		{"short pair", `{"status":"success","data":{"resultType":"matrix","result":[{"values":[[1]]}]}}`, "$.data.result[0].values[0]", promErr},
		{"vector", `{"status":"success","data":{"resultType":"vector","result":[]}}`, "$.data.resultType", promErr},
		{"prom error", `{"status":"error","errorType":"bad_data","error":"parse error"}`, "$.status", promErr},
		{"lengths differ", `{"MetricDataResults":[{"Timestamps":["2014-02-14T14:27:00Z"],"Values":[]}]}`, "$.MetricDataResults[0]", func(s string) error {
			_, err := ReadCloudWatchMetricData(strings.NewReader(s), Options{})
			return err
		}},
		{"no statistic", `{"Datapoints":[{"Timestamp":"2014-02-14T14:27:00Z","Sum":3}]}`, "$.Datapoints[0]", func(s string) error {
			_, err := ReadCloudWatchStatistics(strings.NewReader(s), Options{})
			return err
		}},
		{"gcp end time", `{"timeSeries":[{"points":[{"interval":{},"value":{"doubleValue":0.1}}]}]}`, "$.timeSeries[0].points[0].interval.endTime", func(s string) error {
			_, err := ReadGCPAll(strings.NewReader(s), Options{})
			return err
		}},
		{"gcp overflow", `{"timeSeries":[{"points":[{"interval":{"endTime":"2014-02-14T14:27:00Z"},"value":{"doubleValue":1e308}}]}]}`, "$.timeSeries[0].points[0].value.doubleValue", func(s string) error {
			_, err := ReadGCPAll(strings.NewReader(s), Options{})
			return err
		}},
	}
	for _, c := range cases {
		err := c.read(c.in)
		var pe *PathError
		if !errors.As(err, &pe) || pe.Path != c.path {
			t.Errorf("%s: err %v, want a *PathError at %s", c.name, err, c.path)
		}
	}
}

func promErr(s string) error {
	_, err := ReadPrometheusAll(strings.NewReader(s), Options{})
	return err
}

func TestEmptyExportsAreErrEmpty(t *testing.T) {
	for _, in := range []string{
		`{"Datapoints":[]}`,
		`{"MetricDataResults":[{"Id":"m","Timestamps":[],"Values":[]}]}`,
		`{"status":"success","data":{"resultType":"matrix","result":[]}}`,
		`{"status":"ok","series":[{"scope":"h","pointlist":[[1392388020000,null]]}]}`,
		`{"timeSeries":[]}`,
		"Timestamp,Average,Unit\n",
	} {
		if _, err := ReadAnyAll(strings.NewReader(in), "x", Options{}); !errors.Is(err, ErrEmpty) {
			t.Errorf("%.40s: err %v, want ErrEmpty", in, err)
		}
	}
}

func TestParseTimeForms(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skipf("no zone database: %v", err)
	}
	want := time.Date(2014, 2, 14, 14, 27, 0, 0, time.UTC)
	cases := []struct {
		in  string
		loc *time.Location
	}{
		{"2014-02-14T14:27:00Z", time.UTC},
		{"2014-02-14T15:27:00+01:00", time.UTC},
		{"2014-02-14T14:27:00.000Z", time.UTC},
		{"2014-02-14 14:27:00", time.UTC},
		{"2014-02-14 15:27:00", paris},
		{"2014-02-14T15:27:00", paris},
		{"2014-02-14 16:27:00+02:00", paris}, // a written zone beats the option
		{"1392388020", time.UTC},
		{"1392388020000", time.UTC},
		{"1.39238802e9", time.UTC},
	}
	for _, c := range cases {
		got, err := parseTime(c.in, c.loc)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseTime(%q, %s) = %s, %v; want %s", c.in, c.loc, got, err, want)
		}
	}
	for _, bad := range []string{"", "yesterday", "14/02/2014 14:27", "1e30", "-5", "NaN", "2014-02-30 00:00:00"} {
		if _, err := parseTime(bad, time.UTC); err == nil {
			t.Errorf("parseTime(%q) accepted", bad)
		}
	}
}

func TestGenericCSVOnRealTraces(t *testing.T) {
	data := tracetest.SharedData(t)

	// NAB read as a generic CSV gives exactly what ReadNAB gives.
	nabPath := filepath.Join(data, "nab", "realAWSCloudwatch", "ec2_cpu_utilization_825cc2.csv")
	raw, err := os.ReadFile(nabPath)
	if err != nil {
		t.Fatal(err)
	}
	viaNAB, err := ReadNAB(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	viaCSV, err := ReadCSV(bytes.NewReader(raw), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(viaCSV.Points) != len(viaNAB.Points) || len(viaCSV.Points) != 4032 {
		t.Fatalf("generic %d points, NAB %d, want 4032", len(viaCSV.Points), len(viaNAB.Points))
	}
	for i := range viaNAB.Points {
		if viaCSV.Points[i] != viaNAB.Points[i] {
			t.Fatalf("point %d: generic %v, NAB %v", i, viaCSV.Points[i], viaNAB.Points[i])
		}
	}

	// Azure V1: four columns, the CPU one chosen by name; detection needs it.
	azure := filepath.Join(data, "azure_v1", "azure.csv")
	f, err := os.Open(azure)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	all, err := ReadAnyAll(f, "azure", Options{CPUColumn: "avg cpu"})
	if err != nil {
		t.Fatal(err)
	}
	s := all[0]
	first := Point{Time: time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC), CPU: 1229569.3712429872}
	last := Point{Time: time.Date(2017, 1, 30, 23, 55, 0, 0, time.UTC), CPU: 1207905.6748139986}
	if s.Format != FormatCSV || len(s.Points) != 8640 || s.Points[0] != first || s.Points[8639] != last || s.MedianStep() != sampleStep {
		t.Errorf("azure: %s, %d points, first %v last %v step %s", s.Format, len(s.Points), s.Points[0], s.Points[len(s.Points)-1], s.MedianStep())
	}

	if _, err := ReadAnyAll(strings.NewReader(string(raw[:0])+"timestamp,min cpu,avg cpu\n2017-01-01 00:00:00,1,2\n"), "x", Options{}); err == nil || !strings.Contains(err.Error(), "choose the CPU column") {
		t.Errorf("ambiguous columns: err %v, want a request to choose the CPU column", err)
	}
}

func TestReadAnyAllBitbrainsAndNABStillDetected(t *testing.T) {
	data := tracetest.SharedData(t)
	for path, want := range map[string]string{
		filepath.Join(data, "bitbrains_rnd", "2013-7", "312.csv"):                         FormatBitbrains,
		filepath.Join(data, "nab", "realAWSCloudwatch", "rds_cpu_utilization_cc0c53.csv"): FormatNAB,
	} {
		s, err := ReadAny(path)
		if err != nil {
			t.Fatal(err)
		}
		if s.Format != want || len(s.Points) < 4000 {
			t.Errorf("%s: format %q, %d points", path, s.Format, len(s.Points))
		}
	}
}

func TestDetectFormatShapes(t *testing.T) {
	cases := map[string]string{
		`{"Label":"CPUUtilization","Datapoints":[]}`:   FormatCloudWatchStatistics,
		`{"MetricDataResults":[],"Messages":[]}`:       FormatCloudWatchMetricData,
		`{"status":"success","data":{}}`:               FormatPrometheus,
		`{"status":"ok","series":[]}`:                  FormatDatadog,
		`{"timeSeries":[]}`:                            FormatGCP,
		"\xef\xbb\xbf  {\"timeSeries\":[]}":            FormatGCP,
		"Timestamp,Average,Unit\n":                     FormatCloudWatchCSV,
		"\"Timestamp\",\"Average\"\n":                  FormatCloudWatchCSV,
		"timestamp,value\n":                            FormatNAB,
		"timestamp,min cpu,max cpu,avg cpu\n":          FormatCSV,
		"time,host,cpu\n":                              FormatCSV,
		"Timestamp [ms];\tCPU cores;\tCPU usage [%]\n": FormatBitbrains,
	}
	for in, want := range cases {
		got, err := DetectFormat([]byte(in), Options{})
		if err != nil || got != want {
			t.Errorf("DetectFormat(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "[]", `{"foo":1}`, "{", "host,cpu\n", "hello"} {
		if _, err := DetectFormat([]byte(in), Options{}); !errors.Is(err, ErrUnknownFormat) {
			t.Errorf("DetectFormat(%q) err %v, want ErrUnknownFormat", in, err)
		}
	}
	if got, _ := DetectFormat([]byte("host,cpu\n"), Options{TimeColumn: "host", CPUColumn: "cpu"}); got != FormatCSV {
		t.Errorf("columns named by options: %q, want %q", got, FormatCSV)
	}
}

func TestCSVQuotesAndOptions(t *testing.T) {
	in := "\"when\",\"cpu, %\"\r\n\"2014-02-14 15:27:00\",\"51.5\"\r\n"
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skipf("no zone database: %v", err)
	}
	s, err := ReadCSV(strings.NewReader(in), Options{TimeColumn: "WHEN", CPUColumn: "cpu, %", Location: paris})
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2014, 2, 14, 14, 27, 0, 0, time.UTC); !s.Points[0].Time.Equal(want) || s.Points[0].CPU != 51.5 {
		t.Errorf("point %v, want %s 51.5", s.Points[0], want)
	}

	for name, bad := range map[string]string{
		"unterminated quote": "time,cpu\n\"2014-02-14 15:27:00,1\n",
		"text after quote":   "time,cpu\n\"2014-02-14 15:27:00\"x,1\n",
		"short row":          "time,a,cpu\n2014-02-14 15:27:00,1\n",
		"negative":           "time,cpu\n2014-02-14 15:27:00,-1\n",
	} {
		_, err := ReadCSV(strings.NewReader(bad), Options{CPUColumn: "cpu"})
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != 2 {
			t.Errorf("%s: err %v, want a *ParseError on line 2", name, err)
		}
	}

	if err := (&Options{TimeColumn: "t", CPUColumn: " T "}).Validate(); err == nil {
		t.Error("same column for time and CPU accepted")
	}
	if err := (&Options{MaxJSONBytes: -1}).Validate(); err == nil {
		t.Error("negative JSON limit accepted")
	}
}
