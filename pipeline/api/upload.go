package api

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/scalora/scalora/schemas/trace"
	"github.com/scalora/scalora/stages/cost"
)

// errNoFile is returned for a multipart upload without a "file" part.
var errNoFile = errors.New(`multipart upload has no "file" part`)

// readUpload parses the trace of a multipart field "file", or else of the
// raw body, as it streams in: nothing but the parsed points is held, and
// the read stops at limit bytes with an *http.MaxBytesError. The series
// is named after the uploaded file ("upload" without a name), as the
// command names it after its path. The query parameters cpu_column and
// time_column choose a generic CSV's columns, as the command's
// --cpu-column and --time-column do.
func readUpload(w http.ResponseWriter, r *http.Request, limit int64) (*trace.Series, error) {
	r.Body = http.MaxBytesReader(w, r.Body, limit)

	var body io.Reader = r.Body
	q := r.URL.Query()
	name := q.Get("name")
	opts := trace.Options{CPUColumn: q.Get("cpu_column"), TimeColumn: q.Get("time_column")}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		mr, err := r.MultipartReader()
		if err != nil {
			return nil, fmt.Errorf("multipart: %w", err)
		}
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				return nil, errNoFile
			} else if err != nil {
				return nil, fmt.Errorf("multipart: %w", err)
			}
			if part.FormName() == "file" {
				body = part
				if fn := part.FileName(); fn != "" && name == "" {
					name = fn
				}
				break
			}
		}
	}

	s, err := readTrace(body, opts)
	if err != nil {
		return nil, err
	}
	s.Name = traceName(name)
	return s, nil
}

// readTrace detects the format from the first non-blank line, as
// trace.ReadAny does for a file, and parses the rest as it streams.
func readTrace(r io.Reader, opts trace.Options) (*trace.Series, error) {
	return parseTrace(&errMemo{r: r}, opts)
}

// errMemo remembers a read error, so that the body's size limit wins
// over the parse error of the truncated last line that it causes (a
// scanner parses what it holds before reporting the read error).
type errMemo struct {
	r   io.Reader
	err error
}

func (m *errMemo) Read(p []byte) (int, error) {
	n, err := m.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		m.err = err
	}
	return n, err
}

func parseTrace(m *errMemo, opts trace.Options) (*trace.Series, error) {
	s, err := parseFormat(m, opts)
	if tooLarge(m.err) {
		return nil, m.err
	}
	return s, err
}

func parseFormat(r io.Reader, opts trace.Options) (*trace.Series, error) {
	all, err := trace.ReadAnyAll(r, "upload", opts)
	if err != nil {
		return nil, err
	}
	if len(all) != 1 {
		return nil, fmt.Errorf("%w: the upload holds %d series; analyze one at a time", trace.ErrMultipleSeries, len(all))
	}
	return all[0], nil
}

// traceName is the file's base name without ".csv", as the command names
// a trace.
func traceName(fn string) string {
	if fn == "" {
		return "upload"
	}
	return strings.TrimSuffix(path.Base(strings.ReplaceAll(fn, `\`, "/")), ".csv")
}

func isPriceError(err error) bool {
	return errors.Is(err, cost.ErrUnknownRegion) || errors.Is(err, cost.ErrUnknownInstanceType)
}
