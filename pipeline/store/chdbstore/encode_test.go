package chdbstore

import (
	"encoding/json"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/scalora/scalora/schemas"
)

func TestAppendStringIsValidJSON(t *testing.T) {
	for _, s := range []string{"", `a"b`, `a\b`, "a\nb\r\t", "\x00\x01\x1f", "ünï-🚀", "'; DROP"} {
		b := appendString(nil, s)
		var got string
		if err := json.Unmarshal(b, &got); err != nil {
			t.Errorf("%q encodes to invalid JSON %s: %v", s, b, err)
			continue
		}
		if got != s {
			t.Errorf("%q decodes back as %q", s, got)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", `"`, `\`, "\n", "\x00", "ü"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := appendString(nil, s)
		if !utf8.ValidString(s) {
			// Invalid bytes pass through unchanged, by design; what must
			// hold is that no raw quote, backslash or control byte escapes.
			inner := b[1 : len(b)-1]
			for i := 0; i < len(inner); i++ {
				switch c := inner[i]; {
				case c < 0x20:
					t.Fatalf("%q: raw control byte %#x in %q", s, c, b)
				case c == '\\':
					i++ // skip the escaped byte
				case c == '"':
					t.Fatalf("%q: unescaped quote in %q", s, b)
				}
			}
			return
		}
		var got string
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%q encodes to invalid JSON %s: %v", s, b, err)
		}
		if got != s {
			t.Fatalf("%q decodes back as %q", s, got)
		}
	})
}

func TestAppendForecastsFlattensHorizons(t *testing.T) {
	ts := time.Date(2026, 1, 2, 3, 4, 5, 678_900_000, time.UTC)
	f := schemas.Forecast{Host: "h", Group: "g", Time: ts, StepSeconds: 60, Values: []float64{0.5, 1e-9}, Model: "m", Reason: "r"}
	got := appendForecasts(nil, []schemas.Forecast{f})

	want := `["h","g","2026-01-02 03:04:05.678",60,1,0.5,"m",false,"r"]` + "\n" +
		`["h","g","2026-01-02 03:04:05.678",60,2,1e-09,"m",false,"r"]` + "\n"
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
