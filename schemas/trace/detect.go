package trace

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Format names written into Series.Format.
const (
	FormatNAB       = "nab_csv"
	FormatBitbrains = "bitbrains"
)

// ErrUnknownFormat is returned by ReadAny and Detect when the first line of
// a file matches none of the formats this package reads.
var ErrUnknownFormat = errors.New("unknown trace format (want NAB CSV or Bitbrains)")

// Detect names the format of a trace from its first non-empty line: a
// header naming the "CPU usage [%]" column, or any ";"-separated header
// starting with "Timestamp", is Bitbrains; a "timestamp,value" header or a
// "YYYY-MM-DD HH:MM:SS,value" row is NAB.
func Detect(firstLine string) (string, error) {
	text := strings.TrimSpace(strings.TrimPrefix(firstLine, "\xef\xbb\xbf"))
	lower := strings.ToLower(text)
	switch {
	case strings.Contains(lower, strings.ToLower(bitbrainsCPUColumn)),
		strings.HasPrefix(lower, "timestamp") && strings.Contains(text, ";"):
		return FormatBitbrains, nil
	case strings.HasPrefix(lower, "timestamp,"):
		return FormatNAB, nil
	}
	if ts, _, ok := strings.Cut(text, ","); ok && len(strings.TrimSpace(ts)) == len(nabLayout) {
		return FormatNAB, nil
	}
	return "", fmt.Errorf("%w: first line %q", ErrUnknownFormat, clip(text, 80))
}

// ReadAny reads a trace file in any supported format, detected from its
// first non-empty line (see Detect). NAB series are named after the file;
// Bitbrains series after the file and its folder ("2013-7/185"), because
// each month of the trace reuses the VM file names.
func ReadAny(path string) (*Series, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("open trace: %w", err)
	}

	format, err := Detect(firstLine(data))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}

	var s *Series
	switch format {
	case FormatBitbrains:
		s, err = ReadBitbrains(bytes.NewReader(data))
	default:
		s, err = ReadNAB(bytes.NewReader(data))
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}

	s.Name = baseName(path)
	if format == FormatBitbrains {
		s.Name = filepath.Base(filepath.Dir(path)) + "/" + s.Name
	}
	return s, nil
}

// firstLine returns the first non-blank line of data (at most MaxLineBytes).
func firstLine(data []byte) string {
	sc := bufio.NewScanner(io.LimitReader(bytes.NewReader(data), 16*MaxLineBytes))
	sc.Buffer(make([]byte, 0, 4096), MaxLineBytes)
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
