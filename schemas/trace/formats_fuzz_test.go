package trace

import (
	"bytes"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// fuzzSeeds adds every fixture in testdata and a few hand-written edge
// cases, so each fuzzer starts from real shapes.
func fuzzSeeds(f *testing.F, extra ...string) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.*"))
	for _, path := range files {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	for _, s := range extra {
		f.Add([]byte(s))
	}
}

// checkFuzzResult asserts the decoder contract on any input: a non-empty
// error, or series that are non-empty, named by format, sorted with unique
// times, and finite non-negative CPU.
func checkFuzzResult(t *testing.T, all []*Series, err error) {
	t.Helper()
	if err != nil {
		if err.Error() == "" {
			t.Fatal("empty error message")
		}
		return
	}
	if len(all) == 0 {
		t.Fatal("no error and no series")
	}
	for _, s := range all {
		if s.Format == "" || len(s.Points) == 0 {
			t.Fatalf("series %q: format %q, %d points", s.Name, s.Format, len(s.Points))
		}
		for i, p := range s.Points {
			if math.IsNaN(p.CPU) || math.IsInf(p.CPU, 0) || p.CPU < 0 {
				t.Fatalf("point %d: CPU %g", i, p.CPU)
			}
			if i > 0 && !s.Points[i-1].Time.Before(p.Time) {
				t.Fatalf("points %d and %d not strictly increasing: %s, %s", i-1, i, s.Points[i-1].Time, p.Time)
			}
		}
	}
}

func fuzzReader(f *testing.F, read func(io.Reader) ([]*Series, error), extra ...string) {
	fuzzSeeds(f, extra...)
	f.Fuzz(func(t *testing.T, data []byte) {
		all, err := read(bytes.NewReader(data))
		checkFuzzResult(t, all, err)
	})
}

func FuzzReadCloudWatchCSV(f *testing.F) {
	fuzzReader(f, func(r io.Reader) ([]*Series, error) { return one(ReadCloudWatchCSV(r, Options{})) },
		"Timestamp,Average,Unit\n2014-02-14T14:27:00Z,51.8,Percent\n2014-02-14T14:27:00Z,1,\n",
		"\"Average\",\"Timestamp\"\r1392388020,3\r")
}

func FuzzReadCSV(f *testing.F) {
	fuzzReader(f, func(r io.Reader) ([]*Series, error) { return one(ReadCSV(r, Options{})) },
		"time,cpu\n2014-02-14 14:27:00,1\n1392388020000,2\n\"2014-02-14T14:27:00+01:00\",\"3\"\n")
}

func FuzzReadCloudWatchStatistics(f *testing.F) {
	fuzzReader(f, func(r io.Reader) ([]*Series, error) { return one(ReadCloudWatchStatistics(r, Options{})) },
		`{"Label":"CPUUtilization","Datapoints":[{"Timestamp":"2014-02-14T14:27:00Z","Average":1,"Unit":"Percent"},{"Timestamp":1392388020,"Maximum":"2"}]}`)
}

func FuzzReadCloudWatchMetricData(f *testing.F) {
	fuzzReader(f, func(r io.Reader) ([]*Series, error) { return ReadCloudWatchMetricData(r, Options{}) },
		`{"MetricDataResults":[{"Id":"m","Timestamps":["2014-02-14T14:27:00Z",1392388020],"Values":[1,2]}]}`)
}

func FuzzReadPrometheus(f *testing.F) {
	fuzzReader(f, func(r io.Reader) ([]*Series, error) { return ReadPrometheusAll(r, Options{}) },
		`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"b"},"values":[[1392388020.5,"1e2"],[1392388020.5,"3"]]}]}}`)
}

func FuzzReadDatadog(f *testing.F) {
	fuzzReader(f, func(r io.Reader) ([]*Series, error) { return ReadDatadogAll(r, Options{}) },
		`{"status":"ok","series":[{"scope":"host:a","pointlist":[[1392388020000,1],[1392388020000,null]]}]}`)
}

func FuzzReadGCP(f *testing.F) {
	fuzzReader(f, func(r io.Reader) ([]*Series, error) { return ReadGCPAll(r, Options{}) },
		`{"timeSeries":[{"points":[{"interval":{"endTime":"2014-02-14T14:27:00.123456789Z"},"value":{"doubleValue":"0.5"}}]}]}`)
}

func FuzzReadAnyAll(f *testing.F) {
	fuzzReader(f, func(r io.Reader) ([]*Series, error) { return ReadAnyAll(r, "fuzz", Options{}) },
		"timestamp,value\n2014-02-14 14:27:00,1\n",
		bbHeader+"100;\t4;\t1;\t1;\t3;\t0\n",
		"\xef\xbb\xbf{\"timeSeries\":[]}")
}
