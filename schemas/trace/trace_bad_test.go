package trace

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

// rowReader generates a NAB file of n rows, 5 minutes apart, without
// holding it in memory; a row of longLine bytes replaces row longAt when
// longLine > 0.
type rowReader struct {
	n, i     int
	longAt   int
	longLine int
	buf      []byte
	header   bool
}

func (r *rowReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		switch {
		case !r.header:
			r.header = true
			r.buf = []byte("timestamp,value\r\n")
		case r.i >= r.n:
			return 0, io.EOF
		default:
			r.i++
			ts := time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.i) * 5 * time.Minute)
			row := fmt.Sprintf("%s,%d", ts.Format(nabLayout), r.i%100)
			if r.longLine > 0 && r.i == r.longAt {
				row += strings.Repeat(" ", r.longLine-len(row))
			}
			r.buf = []byte(row + "\r\n")
		}
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

func TestReadNABStreamsAGeneratedFileWithCRLF(t *testing.T) {
	const rows = 200_000 // about 5 MB
	s, err := ReadNAB(&rowReader{n: rows})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Points) != rows {
		t.Fatalf("%d points, want %d", len(s.Points), rows)
	}
	if p := s.Points[rows-1]; p.CPU != float64(rows%100) || p.Time.Location() != time.UTC {
		t.Fatalf("last point %+v", p)
	}
}

func TestReadNABAcceptsALineOfMaxLineBytes(t *testing.T) {
	// The line's bytes, without its line ending, fill the scanner buffer.
	s, err := ReadNAB(&rowReader{n: 3, longAt: 2, longLine: MaxLineBytes - 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Points) != 3 || s.Points[1].CPU != 2 {
		t.Fatalf("points %+v", s.Points)
	}
}

func TestReadNABNamesTheLineOverMaxLineBytes(t *testing.T) {
	_, err := ReadNAB(&rowReader{n: 10_000, longAt: 7_000, longLine: MaxLineBytes + 1})
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("err %v, want a *ParseError", err)
	}
	if pe.Line != 7_001 { // the header is line 1
		t.Fatalf("error %q names line %d, want 7001", err, pe.Line)
	}
	if !strings.Contains(err.Error(), "too long") {
		t.Fatalf("error %q does not say the line is too long", err)
	}
}

func TestReadNABHeaderOnlyIsEmpty(t *testing.T) {
	for _, in := range []string{"timestamp,value\n", "timestamp,value\r\n\r\n", "\xef\xbb\xbftimestamp,value", ""} {
		if _, err := ReadNAB(strings.NewReader(in)); !errors.Is(err, ErrEmpty) {
			t.Errorf("%q: err %v, want ErrEmpty", in, err)
		}
	}
}

func TestReadNABRejectsTimestampsWithZones(t *testing.T) {
	for _, ts := range []string{
		"2014-01-01T00:00:00Z", "2014-01-01 00:00:00Z", "2014-01-01 00:00:00+01:00",
		"2014-01-01 00:00:00 UTC", "2014-01-01 24:00:00", "2014-02-30 00:00:00",
	} {
		_, err := ReadNAB(strings.NewReader("timestamp,value\n" + ts + ",5\n"))
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != 2 || pe.Column != 1 {
			t.Errorf("%q: err %v, want a ParseError at line 2, column 1", ts, err)
		}
	}
}

func TestReadNABRejectsHostileValues(t *testing.T) {
	for _, v := range []string{"NaN", "+Inf", "-1", "1e400", "0x1p3x", "\x00", `"5"`} {
		_, err := ReadNAB(strings.NewReader("timestamp,value\n2014-01-01 00:00:00," + v + "\n"))
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != 2 || pe.Column != 2 {
			t.Errorf("%q: err %v, want a ParseError at line 2, column 2", v, err)
		}
	}
}

// TestReadNABReadsOldMacLineEndings pins that a file whose lines end in a
// lone CR (as some spreadsheet exports write) is one line to
// bufio.ScanLines: it starts with the header, so the whole file is
// skipped as the header and ReadNAB reports ErrEmpty, hiding the data.
func TestReadNABReadsOldMacLineEndings(t *testing.T) {
	in := "timestamp,value\r2014-01-01 00:00:00,5\r2014-01-01 00:05:00,6\r"
	s, err := ReadNAB(strings.NewReader(in))
	if err != nil {
		t.Fatalf("lone-CR file: %v", err)
	}
	if len(s.Points) != 2 {
		t.Fatalf("%d points, want 2", len(s.Points))
	}
}

// TestReadNABSkipsHeaderAfterLeadingBlankLine pins that the header is
// recognised only on line 1: a file starting with a blank line fails on
// its header as if it were a bad row.
func TestReadNABSkipsHeaderAfterLeadingBlankLine(t *testing.T) {
	in := "\ntimestamp,value\n2014-01-01 00:00:00,5\n"
	if _, err := ReadNAB(strings.NewReader(in)); err != nil {
		t.Fatalf("header after a blank line: %v", err)
	}
}

// BenchmarkReadNAB measures what one row costs in memory: ReadNAB holds
// every point (and sorts them), so memory grows with the file, without a
// limit.
func BenchmarkReadNAB(b *testing.B) {
	const rows = 100_000
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadNAB(&rowReader{n: rows}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows), "rows/op")
}
