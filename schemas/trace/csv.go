package trace

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Format names of the CSV readers added beside NAB and Bitbrains.
const (
	FormatCloudWatchCSV = "cloudwatch_csv"
	FormatCSV           = "generic_csv"
)

// timeColumnNames are the header names taken as the timestamp column of a
// generic CSV when Options.TimeColumn is empty.
var timeColumnNames = []string{"timestamp", "time", "date", "datetime", "ts"}

// ReadCSV reads a generic comma-separated file: a header line naming the
// columns, then one reading a line. The timestamp column and the CPU
// percent column are chosen by name (see Options.TimeColumn and
// Options.CPUColumn); other columns are ignored. Fields may be quoted with
// '"' (a quoted field cannot span lines). Timestamps follow parseTime:
// RFC 3339, "YYYY-MM-DD HH:MM:SS" in Options.Location, or epoch seconds or
// milliseconds. Rows are sorted, duplicates merged by their mean.
func ReadCSV(r io.Reader, opts Options) (*Series, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	return readColumns(r, FormatCSV, opts, genericColumns(opts))
}

// ReadCloudWatchCSV reads the CSV that CloudWatch's console and most
// scripts write: a "Timestamp,Average[,Unit]" header (in any column order,
// names matched case-insensitively), RFC 3339 timestamps and a Unit of
// "Percent" when the column is present; another unit is an error.
func ReadCloudWatchCSV(r io.Reader, opts Options) (*Series, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	return readColumns(r, FormatCloudWatchCSV, opts, cloudWatchColumns)
}

// columns are the indexes read from each row; unit is -1 when absent.
type columns struct{ time, cpu, unit int }

// pickColumns finds the columns in a header, or explains why it cannot.
type pickColumns func(header []string, line int) (columns, error)

func cloudWatchColumns(header []string, line int) (columns, error) {
	c := columns{time: findColumn(header, "Timestamp"), cpu: findColumn(header, "Average"), unit: findColumn(header, "Unit")}
	if c.time < 0 || c.cpu < 0 {
		return c, &ParseError{Line: line, Reason: fmt.Sprintf("want a Timestamp,Average header, found %q", clip(strings.Join(header, ","), 80))}
	}
	return c, nil
}

func genericColumns(opts Options) pickColumns {
	return func(header []string, line int) (columns, error) {
		c := columns{time: -1, cpu: -1, unit: -1}
		if opts.TimeColumn != "" {
			c.time = findColumn(header, opts.TimeColumn)
		} else {
			for _, name := range timeColumnNames {
				if c.time = findColumn(header, name); c.time >= 0 {
					break
				}
			}
		}
		if c.time < 0 {
			return c, &ParseError{Line: line, Reason: fmt.Sprintf("no time column %q in header %q", firstNonEmpty(opts.TimeColumn, strings.Join(timeColumnNames, "|")), clip(strings.Join(header, ","), 80))}
		}

		switch {
		case opts.CPUColumn != "":
			c.cpu = findColumn(header, opts.CPUColumn)
			if c.cpu < 0 {
				return c, &ParseError{Line: line, Reason: fmt.Sprintf("no CPU column %q in header %q", opts.CPUColumn, clip(strings.Join(header, ","), 80))}
			}
		case len(header) == 2:
			c.cpu = 1 - c.time
		default:
			return c, &ParseError{Line: line, Reason: fmt.Sprintf("%d columns: choose the CPU column by name (header %q)", len(header), clip(strings.Join(header, ","), 80))}
		}
		return c, nil
	}
}

// findColumn returns the index of name in header, ignoring case and
// surrounding spaces, or -1.
func findColumn(header []string, name string) int {
	name = strings.TrimSpace(name)
	for i, h := range header {
		if strings.EqualFold(h, name) {
			return i
		}
	}
	return -1
}

// readColumns reads a headed CSV, one Point per row, with the same line
// handling as ReadNAB (BOM, CR, CRLF, blank lines, MaxLineBytes).
func readColumns(r io.Reader, format string, opts Options, pick pickColumns) (*Series, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), MaxLineBytes)
	sc.Split(scanLines)

	var pts []Point
	var cols columns
	line, header := 0, true
	for sc.Scan() {
		line++
		text := strings.TrimSpace(string(bytes.TrimPrefix(sc.Bytes(), []byte("\xef\xbb\xbf"))))
		if text == "" {
			continue
		}
		fields, err := splitCSV(text)
		if err != nil {
			return nil, &ParseError{Line: line, Reason: err.Error()}
		}

		if header {
			header = false
			if cols, err = pick(fields, line); err != nil {
				return nil, err
			}
			continue
		}
		if len(pts) == MaxPoints {
			return nil, fmt.Errorf("line %d: %w", line, ErrTooLarge)
		}

		p, err := parseColumnsRow(fields, cols, line, opts)
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
	return &Series{Format: format, Points: normalise(pts)}, nil
}

func parseColumnsRow(fields []string, c columns, line int, opts Options) (Point, error) {
	if need := max(c.time, c.cpu, c.unit) + 1; len(fields) < need {
		return Point{}, &ParseError{Line: line, Reason: fmt.Sprintf("want at least %d fields, found %d", need, len(fields))}
	}
	if c.unit >= 0 && fields[c.unit] != "" && !strings.EqualFold(fields[c.unit], "Percent") {
		return Point{}, &ParseError{Line: line, Column: c.unit + 1, Reason: fmt.Sprintf("unit %q is not Percent", clip(fields[c.unit], 40))}
	}

	t, err := parseTime(fields[c.time], opts.Location)
	if err != nil {
		return Point{}, &ParseError{Line: line, Column: c.time + 1, Reason: err.Error()}
	}
	v, err := strconv.ParseFloat(fields[c.cpu], 64)
	if err != nil {
		return Point{}, &ParseError{Line: line, Column: c.cpu + 1, Reason: fmt.Sprintf("value %q is not a number", clip(fields[c.cpu], 40))}
	}
	if err := checkCPU(v); err != nil {
		return Point{}, &ParseError{Line: line, Column: c.cpu + 1, Reason: err.Error()}
	}
	return Point{Time: t, CPU: v}, nil
}

// splitCSV splits one line on commas, honouring '"' quotes ("" is a
// literal quote) and trimming spaces around unquoted fields.
func splitCSV(text string) ([]string, error) {
	var fields []string
	for {
		text = strings.TrimLeft(text, " \t")
		if !strings.HasPrefix(text, `"`) {
			field, rest, more := strings.Cut(text, ",")
			fields = append(fields, strings.TrimSpace(field))
			if !more {
				return fields, nil
			}
			text = rest
			continue
		}

		var b strings.Builder
		i := 1
		for {
			j := strings.IndexByte(text[i:], '"')
			if j < 0 {
				return nil, fmt.Errorf("field %d: unterminated quote", len(fields)+1)
			}
			b.WriteString(text[i : i+j])
			i += j + 1
			if i < len(text) && text[i] == '"' {
				b.WriteByte('"')
				i++
				continue
			}
			break
		}
		fields = append(fields, b.String())

		rest := strings.TrimLeft(text[i:], " \t")
		if rest == "" {
			return fields, nil
		}
		if rest[0] != ',' {
			return nil, fmt.Errorf("field %d: text after closing quote", len(fields))
		}
		text = rest[1:]
	}
}
