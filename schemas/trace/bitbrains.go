package trace

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// bitbrainsCPUColumn is the header name of the column ReadBitbrains keeps.
const bitbrainsCPUColumn = "CPU usage [%]"

// msThreshold separates the two timestamp units seen in Bitbrains exports:
// the GWA-T-12 files say "[ms]" but hold Unix seconds (about 1.37e9 in
// 2013); a value above 1e11 can only be milliseconds (1e11 seconds is the
// year 5138), so it is divided by 1000.
const msThreshold = 1e11

// ReadBitbrains reads a Bitbrains GWA-T-12 VM file: a header line
// ("Timestamp [ms]; CPU cores; ... CPU usage [%]; ..."), then one reading a
// line, fields separated by ";" and a tab.
//
// It keeps the "CPU usage [%]" column, located by its header name. Quirks of
// the real files that it handles: the timestamps are Unix seconds despite
// the "[ms]" in the header (milliseconds are accepted too, see
// msThreshold); CPU percent may exceed 100 (usage above the provisioned MHz)
// and is kept as is; duplicated timestamps are merged into their mean, like
// ReadNAB. Negative, NaN or infinite values are errors.
func ReadBitbrains(r io.Reader) (*Series, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), MaxLineBytes)

	line, col := 0, -1
	var pts []Point
	for sc.Scan() {
		line++
		text := strings.TrimSpace(string(bytes.TrimPrefix(sc.Bytes(), []byte("\xef\xbb\xbf"))))
		if text == "" {
			continue
		}

		fields := splitBitbrains(text)
		if col < 0 {
			c, err := bitbrainsHeader(fields, line)
			if err != nil {
				return nil, err
			}
			col = c
			continue
		}

		p, err := parseBitbrainsRow(fields, col, line)
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
	return &Series{Format: FormatBitbrains, Points: normalise(pts)}, nil
}

// splitBitbrains splits a line on ";" and trims the tabs and spaces around
// each field.
func splitBitbrains(text string) []string {
	fields := strings.Split(text, ";")
	for i, f := range fields {
		fields[i] = strings.TrimSpace(f)
	}
	return fields
}

// bitbrainsHeader checks the header and returns the CPU column's index.
func bitbrainsHeader(fields []string, line int) (int, error) {
	if !strings.HasPrefix(strings.ToLower(fields[0]), "timestamp") {
		return 0, &ParseError{Line: line, Column: 1, Reason: fmt.Sprintf("want a header starting with Timestamp, found %q", fields[0])}
	}
	for i, f := range fields {
		if strings.EqualFold(f, bitbrainsCPUColumn) {
			return i, nil
		}
	}
	return 0, &ParseError{Line: line, Reason: fmt.Sprintf("header has no %q column", bitbrainsCPUColumn)}
}

func parseBitbrainsRow(fields []string, col, line int) (Point, error) {
	if len(fields) <= col {
		return Point{}, &ParseError{Line: line, Reason: fmt.Sprintf("want at least %d fields, found %d", col+1, len(fields))}
	}

	ts, err := strconv.ParseFloat(fields[0], 64)
	if err != nil || math.IsNaN(ts) || math.IsInf(ts, 0) || ts < 0 {
		return Point{}, &ParseError{Line: line, Column: 1, Reason: fmt.Sprintf("timestamp %q is not a non-negative number", fields[0])}
	}
	if ts > msThreshold {
		ts /= 1000
	}
	if ts > math.MaxInt64/1e9 {
		return Point{}, &ParseError{Line: line, Column: 1, Reason: fmt.Sprintf("timestamp %q is out of range", fields[0])}
	}

	v, err := strconv.ParseFloat(fields[col], 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return Point{}, &ParseError{Line: line, Column: col + 1, Reason: fmt.Sprintf("CPU usage %q is not a finite number", fields[col])}
	}
	if v < 0 {
		return Point{}, &ParseError{Line: line, Column: col + 1, Reason: fmt.Sprintf("CPU usage %g is negative", v)}
	}

	sec, frac := math.Modf(ts)
	return Point{Time: time.Unix(int64(sec), int64(frac*1e9)).UTC(), CPU: v}, nil
}
