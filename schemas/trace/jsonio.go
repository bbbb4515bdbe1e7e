package trace

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// readJSON reads at most max bytes of r, failing with ErrInputTooLarge past
// that, and drops a leading byte-order mark.
func readJSON(r io.Reader, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("read JSON: %w", err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%w (%d bytes)", ErrInputTooLarge, max)
	}
	return bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), nil
}

// decodeJSON unmarshals data into v and turns decoding errors into a
// *PathError. A type mismatch names the field without array indices
// ("$.data.result.values"), because encoding/json does not report them;
// leaves are decoded later with full paths.
func decodeJSON(data []byte, v any) error {
	err := json.Unmarshal(data, v)
	if err == nil {
		return nil
	}

	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return &PathError{Path: "$", Reason: fmt.Sprintf("invalid JSON at byte %d: %s", se.Offset, se.Error())}
	case errors.As(err, &te):
		path := "$"
		if te.Field != "" {
			path += "." + te.Field
		}
		return &PathError{Path: path, Reason: fmt.Sprintf("want %s, found JSON %s", te.Type, te.Value)}
	}
	return &PathError{Path: "$", Reason: err.Error()}
}

// atPath turns a leaf's reason into a *PathError. Paths are formatted
// only here, on failure, because building one per reading costs more than
// reading it.
func atPath(err error, format string, args ...any) error {
	return &PathError{Path: fmt.Sprintf(format, args...), Reason: err.Error()}
}

// jsonNumber reads a JSON number, or a string holding one (Prometheus
// writes values as strings).
func jsonNumber(raw json.RawMessage) (float64, error) {
	text := strings.TrimSpace(string(raw))
	if strings.HasPrefix(text, `"`) {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, errors.New("invalid string")
		}
		text = strings.TrimSpace(s)
	}
	if text == "" || text == "null" {
		return 0, errors.New("missing value")
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", clip(text, 40))
	}
	return v, nil
}

// jsonCPU reads a CPU percent: a finite, non-negative number.
func jsonCPU(raw json.RawMessage) (float64, error) {
	v, err := jsonNumber(raw)
	if err != nil {
		return 0, err
	}
	if err := checkCPU(v); err != nil {
		return 0, err
	}
	return v, nil
}

// jsonTime reads a timestamp written as a string (see parseTime) or as an
// epoch number.
func jsonTime(raw json.RawMessage, loc *time.Location) (time.Time, error) {
	text := strings.TrimSpace(string(raw))
	if strings.HasPrefix(text, `"`) {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return time.Time{}, errors.New("invalid string")
		}
		text = s
	}
	if text == "" || text == "null" {
		return time.Time{}, errors.New("missing timestamp")
	}
	return parseTime(text, loc)
}

// seriesSet gathers the series of one file and bounds their total size by
// MaxPoints.
type seriesSet struct {
	format string
	total  int
	out    []*Series
}

// budget fails once the file holds more than MaxPoints readings.
func (s *seriesSet) budget(path string, n int) error {
	s.total += n
	if s.total > MaxPoints {
		return fmt.Errorf("%s: %w", path, ErrTooLarge)
	}
	return nil
}

// add keeps a non-empty series, sorted and with duplicates merged; series
// without any reading (a metric with no data in the period) are dropped.
func (s *seriesSet) add(name string, pts []Point) {
	if len(pts) == 0 {
		return
	}
	s.out = append(s.out, &Series{Name: name, Format: s.format, Points: normalise(pts)})
}

// result returns the series, or ErrEmpty when none holds a reading.
func (s *seriesSet) result() ([]*Series, error) {
	if len(s.out) == 0 {
		return nil, ErrEmpty
	}
	return s.out, nil
}

// only returns the single series of a single-series read.
func only(all []*Series, err error) (*Series, error) {
	if err != nil {
		return nil, err
	}
	if len(all) > 1 {
		return nil, fmt.Errorf("%w (%d series)", ErrMultipleSeries, len(all))
	}
	return all[0], nil
}
