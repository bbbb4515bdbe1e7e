package nab

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Window is one labelled anomaly window: the rows whose timestamps fall
// within [Start, End] are inside it.
type Window struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Labels are the anomaly windows of each data file, keyed by the file's
// path relative to NAB's data folder, with forward slashes.
type Labels map[string][]Window

// labelLayouts are the timestamp shapes NAB's label files use (UTC, no zone).
var labelLayouts = []string{"2006-01-02 15:04:05.000000", "2006-01-02 15:04:05"}

// ReadLabelsFile reads a labels file in NAB's combined_windows.json format.
func ReadLabelsFile(path string) (Labels, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open labels: %w", err)
	}
	defer f.Close()

	l, err := ReadLabels(f)
	if err != nil {
		return nil, fmt.Errorf("read labels %s: %w", path, err)
	}
	return l, nil
}

// ReadLabels reads NAB's combined_windows.json format: an object mapping
// each file to a list of [start, end] timestamp pairs. Windows come back
// sorted by start.
func ReadLabels(r io.Reader) (Labels, error) {
	var raw map[string][][]string
	if err := json.NewDecoder(r).Decode(&raw); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrLabels, err)
	}

	out := make(Labels, len(raw))
	for file, pairs := range raw {
		ws := make([]Window, 0, len(pairs))
		for i, p := range pairs {
			w, err := parseWindow(p)
			if err != nil {
				return nil, fmt.Errorf("%w: %s window %d: %v", ErrLabels, file, i, err)
			}
			ws = append(ws, w)
		}
		sort.Slice(ws, func(i, j int) bool { return ws[i].Start.Before(ws[j].Start) })
		out[filepath.ToSlash(file)] = ws
	}
	return out, nil
}

func parseWindow(p []string) (Window, error) {
	if len(p) != 2 {
		return Window{}, fmt.Errorf("want [start, end], got %d values", len(p))
	}
	start, err := parseLabelTime(p[0])
	if err != nil {
		return Window{}, err
	}
	end, err := parseLabelTime(p[1])
	if err != nil {
		return Window{}, err
	}
	if end.Before(start) {
		return Window{}, fmt.Errorf("end %s before start %s", p[1], p[0])
	}
	return Window{Start: start, End: end}, nil
}

func parseLabelTime(s string) (time.Time, error) {
	for _, layout := range labelLayouts {
		if t, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("timestamp %q is not YYYY-MM-DD HH:MM:SS[.ffffff]", s)
}

// For returns the windows and key of the data file at path: the labels key
// that path ends with, compared by whole path elements (so
// "../data/nab/realKnownCause/x.csv" matches "realKnownCause/x.csv"). When
// several keys match, the longest wins. ok is false when none does.
func (l Labels) For(path string) (key string, ws []Window, ok bool) {
	p := "/" + strings.TrimPrefix(filepath.ToSlash(filepath.Clean(path)), "/")
	for k, v := range l {
		if strings.HasSuffix(p, "/"+k) && len(k) > len(key) {
			key, ws, ok = k, v, true
		}
	}
	return key, ws, ok
}
