package trace

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Format names written into Series.Format.
const (
	FormatNAB       = "nab_csv"
	FormatBitbrains = "bitbrains"
)

// ErrUnknownFormat is returned by ReadAny, ReadAnyAll, Detect and
// DetectFormat when the input matches none of the formats this package
// reads.
var ErrUnknownFormat = errors.New("unknown trace format")

// sniffBytes is how much of the input DetectFormat looks at for CSV.
const sniffBytes = 64 << 10

// Detect names the format of a CSV trace from its first non-empty line: a
// header naming the "CPU usage [%]" column, or any ";"-separated header
// starting with "Timestamp", is Bitbrains; a header holding Timestamp and
// Average columns is CloudWatch CSV; a "timestamp,value" header or a
// "YYYY-MM-DD HH:MM:SS,value" row is NAB. It does not recognise JSON (see
// DetectFormat) nor the generic CSV, which needs Options.
func Detect(firstLine string) (string, error) {
	text := strings.TrimSpace(strings.TrimPrefix(firstLine, "\xef\xbb\xbf"))
	lower := strings.ToLower(text)
	switch {
	case strings.Contains(lower, strings.ToLower(bitbrainsCPUColumn)),
		strings.HasPrefix(lower, "timestamp") && strings.Contains(text, ";"):
		return FormatBitbrains, nil
	case isCloudWatchHeader(text):
		return FormatCloudWatchCSV, nil
	case strings.HasPrefix(lower, "timestamp,"):
		return FormatNAB, nil
	}
	if ts, _, ok := strings.Cut(text, ","); ok && len(strings.TrimSpace(ts)) == len(nabLayout) {
		return FormatNAB, nil
	}
	return "", fmt.Errorf("%w: first line %q", ErrUnknownFormat, clip(text, 80))
}

func isCloudWatchHeader(text string) bool {
	fields, err := splitCSV(text)
	return err == nil && findColumn(fields, "Timestamp") >= 0 && findColumn(fields, "Average") >= 0
}

// DetectFormat names the format of an input from its first bytes (for
// CSV, the first non-blank line; for JSON, the top-level keys of the
// whole document, so pass all of it). JSON shapes: "Datapoints" is
// CloudWatch get-metric-statistics, "MetricDataResults" CloudWatch
// get-metric-data, "data" Prometheus query_range, "series" Datadog,
// "timeSeries" GCP Monitoring. CSV: as Detect, except that a NAB-like
// header of more than two columns, a header with a time column (see
// Options.TimeColumn), or any CSV when Options names a column, is the
// generic CSV.
func DetectFormat(head []byte, opts Options) (string, error) {
	body := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(body) > 0 && (body[0] == '{' || body[0] == '[') {
		return detectJSON(body)
	}
	return detectCSV(firstLine(body), opts)
}

func detectJSON(data []byte) (string, error) {
	var top map[string]json.RawMessage
	if err := decodeJSON(data, &top); err != nil {
		return "", fmt.Errorf("%w: JSON: %w", ErrUnknownFormat, err)
	}

	keys := make(map[string]bool, len(top))
	for k := range top {
		keys[strings.ToLower(k)] = true
	}
	switch {
	case keys["datapoints"]:
		return FormatCloudWatchStatistics, nil
	case keys["metricdataresults"]:
		return FormatCloudWatchMetricData, nil
	case keys["timeseries"]:
		return FormatGCP, nil
	case keys["series"]:
		return FormatDatadog, nil
	case keys["data"]:
		return FormatPrometheus, nil
	}

	names := make([]string, 0, len(top))
	for k := range top {
		names = append(names, k)
	}
	sort.Strings(names)
	return "", fmt.Errorf("%w: JSON with keys %q", ErrUnknownFormat, clip(strings.Join(names, ","), 80))
}

func detectCSV(first string, opts Options) (string, error) {
	format, err := Detect(first)
	explicit := opts.TimeColumn != "" || opts.CPUColumn != ""
	switch {
	case format == FormatBitbrains:
		return format, nil
	case explicit:
		return FormatCSV, nil
	case format == FormatCloudWatchCSV:
		return format, nil
	}

	fields, splitErr := splitCSV(strings.TrimSpace(strings.TrimPrefix(first, "\xef\xbb\xbf")))
	if format == FormatNAB && (splitErr != nil || len(fields) == 2) {
		return format, nil
	}
	if splitErr == nil {
		if findAnyTimeColumn(fields) {
			return FormatCSV, nil
		}
	}
	if err == nil {
		err = fmt.Errorf("%w: first line %q", ErrUnknownFormat, clip(first, 80))
	}
	return "", err
}

func findAnyTimeColumn(header []string) bool {
	for _, name := range timeColumnNames {
		if findColumn(header, name) >= 0 {
			return true
		}
	}
	return false
}

// ReadAnyAll reads every series of an input in any supported format,
// detected by DetectFormat and written into each Series.Format. CSV is
// streamed; JSON is read whole, up to Options.MaxJSONBytes. Series whose
// content names them (Prometheus labels, a CloudWatch Label, a Datadog
// scope, a GCP instance) keep that name; the others are named name. opts
// may be the zero value.
func ReadAnyAll(r io.Reader, name string, opts Options) ([]*Series, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}

	br := bufio.NewReaderSize(r, sniffBytes)
	head, _ := br.Peek(sniffBytes) // a short input gives a short head, not an error worth keeping
	body := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")

	var all []*Series
	if len(body) > 0 && (body[0] == '{' || body[0] == '[') {
		all, err = readAnyJSON(br, opts)
	} else {
		all, err = readAnyCSV(br, firstLine(body), opts)
	}
	if err != nil {
		return nil, err
	}

	for _, s := range all {
		if s.Name == "" {
			s.Name = name
		}
	}
	return all, nil
}

func readAnyJSON(r io.Reader, opts Options) ([]*Series, error) {
	data, err := readJSON(r, opts.MaxJSONBytes)
	if err != nil {
		return nil, err
	}
	format, err := detectJSON(data)
	if err != nil {
		return nil, err
	}

	in := bytes.NewReader(data)
	switch format {
	case FormatCloudWatchStatistics:
		return one(ReadCloudWatchStatistics(in, opts))
	case FormatCloudWatchMetricData:
		return ReadCloudWatchMetricData(in, opts)
	case FormatGCP:
		return ReadGCPAll(in, opts)
	case FormatDatadog:
		return ReadDatadogAll(in, opts)
	default:
		return ReadPrometheusAll(in, opts)
	}
}

func readAnyCSV(r io.Reader, first string, opts Options) ([]*Series, error) {
	format, err := detectCSV(first, opts)
	if err != nil {
		return nil, err
	}
	switch format {
	case FormatBitbrains:
		return one(ReadBitbrains(r))
	case FormatCloudWatchCSV:
		return one(ReadCloudWatchCSV(r, opts))
	case FormatCSV:
		return one(ReadCSV(r, opts))
	default:
		return one(ReadNAB(r))
	}
}

func one(s *Series, err error) ([]*Series, error) {
	if err != nil {
		return nil, err
	}
	return []*Series{s}, nil
}

// ReadAny reads a trace file holding one series, in any format that
// ReadAnyAll reads, with default Options. The series is named after the
// file, whatever its content says; Bitbrains series after the file and its
// folder ("2013-7/185"), because each month of the trace reuses the VM file
// names. A file of several series (a Prometheus matrix of several hosts)
// fails with ErrMultipleSeries rather than silently keeping one.
func ReadAny(path string) (*Series, error) { return ReadAnyWith(path, Options{}) }

// ReadAnyWith is ReadAny with opts, for example to choose the CPU column
// of a generic CSV.
func ReadAnyWith(path string, opts Options) (*Series, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open trace: %w", err)
	}
	defer f.Close()

	s, err := only(ReadAnyAll(f, "", opts))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}

	s.Name = strings.TrimSuffix(baseName(path), ".json")
	if s.Format == FormatBitbrains {
		s.Name = filepath.Base(filepath.Dir(path)) + "/" + s.Name
	}
	return s, nil
}

// firstLine returns the first non-blank line of data (at most MaxLineBytes).
func firstLine(data []byte) string {
	sc := bufio.NewScanner(io.LimitReader(bytes.NewReader(data), 16*MaxLineBytes))
	sc.Buffer(make([]byte, 0, 4096), MaxLineBytes)
	sc.Split(scanLines)
	for sc.Scan() {
		if t := strings.TrimSpace(sc.Text()); t != "" && t != "\xef\xbb\xbf" {
			return t
		}
	}
	return ""
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}
