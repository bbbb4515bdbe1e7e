// Package trace reads CPU traces from files: the historical workloads users
// upload and the real traces the demo, training and tests replay.
//
// It reads NAB-style CSV (a header, then "YYYY-MM-DD HH:MM:SS,value" rows in
// UTC, CPU in percent), Bitbrains traces, CloudWatch CSV and JSON
// (get-metric-statistics, get-metric-data), Prometheus query_range,
// Datadog query and GCP timeSeries.list JSON, and a generic CSV whose
// columns are named by Options; ReadAnyAll detects which.
package trace

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Point is one reading of a trace.
type Point struct {
	Time time.Time
	CPU  float64 // percent
}

// Series is a trace sorted by time, without duplicate timestamps.
type Series struct {
	Name   string
	Format string // the format detected, e.g. "nab_csv"
	Points []Point
}

// MaxLineBytes is the longest line accepted.
const MaxLineBytes = 64 << 10

// MaxPoints is the most readings one trace may hold: ten million, about
// 95 years of minutes, 300 MB in memory. A larger file is refused with
// ErrTooLarge rather than exhausting memory.
const MaxPoints = 10_000_000

// ErrTooLarge is returned for a trace of more than MaxPoints readings.
var ErrTooLarge = errors.New("trace has more than 10,000,000 readings")

// ErrEmpty is returned for a trace without a single data row.
var ErrEmpty = errors.New("trace has no data rows")

// ParseError names the line and column of unreadable input.
type ParseError struct {
	Line   int // 1-based
	Column int // 1-based field number, 0 when the whole line is at fault
	Reason string
}

func (e *ParseError) Error() string {
	if e.Column == 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
	}
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Reason)
}

// ReadFile reads a trace file; the series is named after the file.
func ReadFile(path string) (*Series, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open trace: %w", err)
	}
	defer f.Close()

	s, err := ReadNAB(f)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	s.Name = baseName(path)
	return s, nil
}

// nabLayout is the timestamp layout of NAB files (UTC, no zone).
const nabLayout = "2006-01-02 15:04:05"

// ReadNAB reads NAB-style CSV: a "timestamp,value" header, then one reading
// a line. Rows are sorted by time and duplicate timestamps keep the mean.
func ReadNAB(r io.Reader) (*Series, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), MaxLineBytes)
	sc.Split(scanLines)

	var pts []Point
	line := 0
	header := true // the first non-blank line may be a header
	for sc.Scan() {
		line++
		text := strings.TrimSpace(string(bytes.TrimPrefix(sc.Bytes(), []byte("\xef\xbb\xbf"))))
		if text == "" {
			continue
		}
		if header {
			header = false
			if strings.HasPrefix(strings.ToLower(text), "timestamp") {
				continue
			}
		}
		if len(pts) == MaxPoints {
			return nil, fmt.Errorf("line %d: %w", line, ErrTooLarge)
		}

		p, err := parseNABRow(text, line)
		if err != nil {
			return nil, err
		}
		pts = append(pts, p)
	}
	if err := sc.Err(); err != nil {
		return nil, &ParseError{Line: line + 1, Reason: err.Error()}
	}
	if len(pts) == 0 {
		return nil, ErrEmpty
	}
	return &Series{Format: "nab_csv", Points: normalise(pts)}, nil
}

func parseNABRow(text string, line int) (Point, error) {
	ts, val, ok := strings.Cut(text, ",")
	if !ok {
		return Point{}, &ParseError{Line: line, Reason: "want 2 comma-separated fields, found 1"}
	}
	if strings.Contains(val, ",") {
		return Point{}, &ParseError{Line: line, Reason: "want 2 comma-separated fields, found more"}
	}

	t, err := time.Parse(nabLayout, strings.TrimSpace(ts))
	if err != nil {
		return Point{}, &ParseError{Line: line, Column: 1, Reason: "timestamp is not YYYY-MM-DD HH:MM:SS"}
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return Point{}, &ParseError{Line: line, Column: 2, Reason: fmt.Sprintf("value %q is not a finite number", val)}
	}
	if v < 0 {
		return Point{}, &ParseError{Line: line, Column: 2, Reason: fmt.Sprintf("value %g is negative", v)}
	}
	return Point{Time: t.UTC(), CPU: v}, nil
}

// scanLines splits on "\n", "\r\n" and a lone "\r" (old Mac files).
func scanLines(data []byte, atEOF bool) (int, []byte, error) {
	for i, b := range data {
		switch b {
		case '\n':
			return i + 1, data[:i], nil
		case '\r':
			if i+1 < len(data) {
				if data[i+1] == '\n' {
					return i + 2, data[:i], nil
				}
				return i + 1, data[:i], nil
			}
			if atEOF {
				return i + 1, data[:i], nil
			}
			return 0, nil, nil // need one more byte to tell "\r" from "\r\n"
		}
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}

// normalise sorts points by time and merges equal timestamps by their mean.
func normalise(pts []Point) []Point {
	sort.SliceStable(pts, func(i, j int) bool { return pts[i].Time.Before(pts[j].Time) })

	out := pts[:0]
	n := 0
	for _, p := range pts {
		if len(out) > 0 && out[len(out)-1].Time.Equal(p.Time) {
			last := &out[len(out)-1]
			n++
			last.CPU += (p.CPU - last.CPU) / float64(n)
			continue
		}
		out = append(out, p)
		n = 1
	}
	return out
}

func baseName(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		path = path[i+1:]
	}
	return strings.TrimSuffix(path, ".csv")
}
