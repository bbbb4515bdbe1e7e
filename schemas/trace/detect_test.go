package trace

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestDetect(t *testing.T) {
	cases := map[string]string{
		"timestamp,value":                            FormatNAB,
		"\xef\xbb\xbftimestamp,value":                FormatNAB,
		"2014-02-14 14:30:00,0.132":                  FormatNAB,
		"Timestamp [ms];\tCPU cores;\tCPU usage [%]": FormatBitbrains,
		"Timestamp [ms];\tCPU cores":                 FormatBitbrains,
	}
	for line, want := range cases {
		got, err := Detect(line)
		if err != nil || got != want {
			t.Errorf("Detect(%q) = %q, %v; want %q", line, got, err, want)
		}
	}
	for _, line := range []string{"", "{\"Datapoints\": []}", "time,avg_cpu_usage"} {
		if _, err := Detect(line); !errors.Is(err, ErrUnknownFormat) {
			t.Errorf("Detect(%q) err %v, want ErrUnknownFormat", line, err)
		}
	}
}

func TestReadAnyPicksReaderAndName(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "2013-8")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bb := filepath.Join(dir, "92.csv")
	nab := filepath.Join(dir, "host.csv")
	unknown := filepath.Join(dir, "x.json")
	must(t, os.WriteFile(bb, []byte(bbHeader+"100;\t4;\t1;\t1;\t3;\t0\n"), 0o644))
	must(t, os.WriteFile(nab, []byte("timestamp,value\n2014-02-14 14:30:00,1\n"), 0o644))
	must(t, os.WriteFile(unknown, []byte("{}\n"), 0o644))

	s, err := ReadAny(bb)
	if err != nil || s.Format != FormatBitbrains || s.Name != "2013-8/92" {
		t.Fatalf("bitbrains: %+v, %v", s, err)
	}
	s, err = ReadAny(nab)
	if err != nil || s.Format != FormatNAB || s.Name != "host" {
		t.Fatalf("nab: %+v, %v", s, err)
	}
	if _, err := ReadAny(unknown); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("unknown: err %v, want ErrUnknownFormat", err)
	}
	if _, err := ReadAny(filepath.Join(dir, "missing.csv")); err == nil {
		t.Error("missing file: no error")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
