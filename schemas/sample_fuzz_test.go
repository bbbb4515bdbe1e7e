package schemas

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// fuzzNow is the clock of these tests, so that the seeds' times stay
// inside MaxPast and MaxFuture whenever the tests run.
var fuzzNow = time.Date(2024, 1, 1, 0, 30, 0, 0, time.UTC)

// fixedLimits are DefaultLimits measured against fuzzNow.
func fixedLimits() Limits {
	lim := DefaultLimits()
	lim.Now = func() time.Time { return fuzzNow }
	return lim
}

// nastySamples seed FuzzDecodeSample: numbers at the edges of float64,
// times at the edges of time.Time, JSON that encoding/json treats
// leniently, and bytes no producer should send.
var nastySamples = []string{
	`{"v":1,"host":"h","ts":"2024-01-01T00:00:00Z","cpu":50}`,
	`{"v":1,"host":"h","group":"g","ts":"2024-01-01T00:00:00Z","cpu":50,"cores":4}`,
	`{"v":1,"host":"h","ts":"2024-01-01T00:00:00Z","cpu":1e308}`,
	`{"v":1,"host":"h","ts":"2024-01-01T00:00:00Z","cpu":1e309}`,
	`{"v":1,"host":"h","ts":"2024-01-01T00:00:00Z","cpu":-0}`,
	`{"v":1,"host":"h","ts":"2024-01-01T00:00:00Z","cpu":1e-320}`,
	`{"v":1,"host":"h","ts":"2024-01-01T00:00:00Z","cpu":200.0000000000001}`,
	`{"v":1,"host":"h","ts":"2024-01-01T00:00:00Z","cpu":50,"cores":1e308}`,
	`{"v":1,"host":"h","ts":"2024-01-01T00:00:00Z","cpu":50,"cores":-1e-320}`,
	`{"v":1.0,"host":"h","ts":"2024-01-01T00:00:00Z","cpu":50}`,
	`{"v":1e0,"host":"h","ts":"2024-01-01T00:00:00Z","cpu":50}`,
	`{"v":"1","host":"h","ts":"2024-01-01T00:00:00Z","cpu":50}`,
	`{"v":1,"host":"h","ts":"0001-01-01T00:00:00Z","cpu":50}`,
	`{"v":1,"host":"h","ts":"0001-01-01T01:00:00+01:00","cpu":50}`,
	`{"v":1,"host":"h","ts":"0001-01-01T00:00:00-01:00","cpu":50}`,
	`{"v":1,"host":"h","ts":"9999-12-31T23:59:59.999999999Z","cpu":50}`,
	`{"v":1,"host":"h","ts":"9999-12-31T23:59:59-23:59","cpu":50}`,
	`{"v":1,"host":"h","ts":"2024-01-01T00:00:00+14:00","cpu":50}`,
	`{"v":1,"host":"h","ts":"2024-01-01T00:00:00.1234567891234Z","cpu":50}`,
	`{"v":1,"host":"h","ts":"2024-02-30T00:00:00Z","cpu":50}`,
	`{"v":1,"host":"h","ts":"1899-12-31T23:59:59Z","cpu":50}`,
	`{"v":1,"host":"h","ts":"2300-01-01T00:00:00Z","cpu":50}`,
	`{"v":1,"host":"h","ts":1700000000,"cpu":50}`,
	`{"v":1,"host":"a","host":"b","ts":"2024-01-01T00:00:00Z","cpu":50}`,
	`{"v":1,"host":"h","ts":"2024-01-01T00:00:00Z","cpu":50,"cpu":500}`,
	`{"v":1,"host":null,"ts":"2024-01-01T00:00:00Z","cpu":50}`,
	`{"v":1,"host":"h","ts":null,"cpu":null}`,
	`{"v":1,"host":{"name":"h"},"ts":"2024-01-01T00:00:00Z","cpu":50}`,
	`{"v":1,"host":"h","ts":"2024-01-01T00:00:00Z","cpu":50,"extra":{"a":[1,2,{"b":null}]}}`,
	`{"V":1,"HOST":"h","TS":"2024-01-01T00:00:00Z","CPU":50}`,
	`{"v":1,"host":"h\u0000","ts":"2024-01-01T00:00:00Z","cpu":50}`,
	"{\"v\":1,\"host\":\"h\x00\",\"ts\":\"2024-01-01T00:00:00Z\",\"cpu\":50}",
	`{"v":1,"host":"\ud83d\ude80 rocket","ts":"2024-01-01T00:00:00Z","cpu":50}`,
	`{"v":1,"host":"\ud800","ts":"2024-01-01T00:00:00Z","cpu":50}`,
	"{\"v\":1,\"host\":\"\xff\xfe\",\"ts\":\"2024-01-01T00:00:00Z\",\"cpu\":50}",
	`{"v":1,"host":"a\"b\\c\nd'e","ts":"2024-01-01T00:00:00Z","cpu":50}`,
	`{"v":1,"host":"` + strings.Repeat("h", 253) + `","ts":"2024-01-01T00:00:00Z","cpu":50}`,
	`{"v":1,"host":"` + strings.Repeat("h", 254) + `","ts":"2024-01-01T00:00:00Z","cpu":50}`,
	`{"v":1,"host":"` + strings.Repeat("é", 127) + `","ts":"2024-01-01T00:00:00Z","cpu":50}`,
	`{"v":1,"host":"` + strings.Repeat("x", 5000) + `","ts":"2024-01-01T00:00:00Z","cpu":50}`,
	`{"v":1,"host":"h","ts":"2024-01-01T00:00:00Z","cpu":50} garbage`,
	`{"v":1,"host":"h","ts":"2024-01-01T00:00:00Z","cpu":50}{}`,
	`{"v":1,"host":"h","ts":"2024-01-01T00:00:00Z","cpu":50}}`,
	`{"v":1,"host":"h","ts":"2024-01-01T00:00:00Z","cpu":50}]`,
	`{"v":1,"host":"h","ts":"2024-01-01T00:00:00Z","cpu":50}` + "\n",
	"\xef\xbb\xbf" + `{"v":1,"host":"h","ts":"2024-01-01T00:00:00Z","cpu":50}`,
	`[{"v":1,"host":"h","ts":"2024-01-01T00:00:00Z","cpu":50}]`,
	`null`, `{}`, `[]`, `""`, `1`, ``, ` `, "\x00\x01\x02\xff",
}

// FuzzDecodeSample checks DecodeSample's contract on any input: it never
// panics, every rejection is a *SampleError with a known reason and a
// message, and every accepted sample is within the documented limits and
// survives a JSON round trip unchanged.
func FuzzDecodeSample(f *testing.F) {
	for _, s := range nastySamples {
		f.Add([]byte(s))
	}

	lim := fixedLimits()
	f.Fuzz(func(t *testing.T, payload []byte) {
		s, err := DecodeSample(payload, lim)
		if err != nil {
			checkRejection(t, payload, err)
			return
		}

		checkAccepted(t, payload, s, lim)

		again, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("accepted %q, but it does not re-encode: %v", payload, err)
		}
		back, err := DecodeSample(again, lim)
		if err != nil {
			t.Fatalf("accepted %q, but its re-encoding %s is rejected: %v", payload, again, err)
		}
		if !sameSample(s, back) {
			t.Fatalf("round trip of %q changed the sample:\n got %+v\nwant %+v", payload, back, s)
		}
	})
}

var knownReasons = map[string]bool{
	ReasonOversized: true, ReasonUnparsable: true, ReasonVersion: true,
	ReasonHost: true, ReasonGroup: true, ReasonTime: true,
	ReasonCPU: true, ReasonCores: true,
}

func checkRejection(t *testing.T, payload []byte, err error) {
	t.Helper()

	if err.Error() == "" {
		t.Fatalf("rejected %q with an empty message", payload)
	}
	var se *SampleError
	if !errors.As(err, &se) {
		t.Fatalf("rejected %q with %T %v, want a *SampleError", payload, err, err)
	}
	if !knownReasons[se.Reason] || se.Detail == "" {
		t.Fatalf("rejected %q with reason %q detail %q", payload, se.Reason, se.Detail)
	}
}

func checkAccepted(t *testing.T, payload []byte, s Sample, lim Limits) {
	t.Helper()

	switch {
	case len(payload) > lim.MaxBytes:
		t.Fatalf("accepted %d bytes, over %d", len(payload), lim.MaxBytes)
	case s.Version != SampleVersion:
		t.Fatalf("accepted %q with version %d", payload, s.Version)
	case s.Host == "" || len(s.Host) > lim.MaxHostLen:
		t.Fatalf("accepted %q with a host of %d bytes", payload, len(s.Host))
	case s.Group == "" || len(s.Group) > lim.MaxHostLen:
		t.Fatalf("accepted %q with a group of %d bytes", payload, len(s.Group))
	case s.Time.IsZero():
		t.Fatalf("accepted %q with a zero time", payload)
	case s.Time.Before(fuzzNow.Add(-lim.MaxPast)) || s.Time.After(fuzzNow.Add(lim.MaxFuture)):
		t.Fatalf("accepted %q with time %s, outside the limits around %s", payload, s.Time, fuzzNow)
	case math.IsNaN(s.CPU) || math.IsInf(s.CPU, 0) || s.CPU < 0 || s.CPU > lim.MaxCPU:
		t.Fatalf("accepted %q with cpu %g", payload, s.CPU)
	case math.IsNaN(s.Cores) || math.IsInf(s.Cores, 0) || s.Cores < 0:
		t.Fatalf("accepted %q with cores %g", payload, s.Cores)
	}
}

// sameSample compares times by instant and offset, since == would also
// compare *time.Location pointers that a round trip legitimately changes.
func sameSample(a, b Sample) bool {
	_, oa := a.Time.Zone()
	_, ob := b.Time.Zone()
	return a.Version == b.Version && a.Host == b.Host && a.Group == b.Group &&
		a.Time.Equal(b.Time) && oa == ob && a.CPU == b.CPU && a.Cores == b.Cores
}

// TestDecodeSampleRejectsEachReason pins the reason of one minimal input
// per rejection.
func TestDecodeSampleRejectsEachReason(t *testing.T) {
	const ts = `"ts":"2024-01-01T00:00:00Z"`
	cases := []struct {
		name, payload, reason string
	}{
		{"oversized", `{"v":1,"host":"` + strings.Repeat("h", 4096) + `",` + ts + `,"cpu":1}`, ReasonOversized},
		{"empty payload", ``, ReasonUnparsable},
		{"binary", "\x00\x01\xff", ReasonUnparsable},
		{"array", `[{"v":1,"host":"h",` + ts + `,"cpu":1}]`, ReasonUnparsable},
		{"bom", "\xef\xbb\xbf{\"v\":1,\"host\":\"h\"," + ts + `,"cpu":1}`, ReasonUnparsable},
		{"trailing garbage", `{"v":1,"host":"h",` + ts + `,"cpu":1} x`, ReasonUnparsable},
		{"second object", `{"v":1,"host":"h",` + ts + `,"cpu":1}{}`, ReasonUnparsable},
		{"unknown field", `{"v":1,"host":"h",` + ts + `,"cpu":1,"x":1}`, ReasonUnparsable},
		{"cpu overflows float64", `{"v":1,"host":"h",` + ts + `,"cpu":1e309}`, ReasonUnparsable},
		{"host object", `{"v":1,"host":{},` + ts + `,"cpu":1}`, ReasonUnparsable},
		{"numeric ts", `{"v":1,"host":"h","ts":1700000000,"cpu":1}`, ReasonUnparsable},
		{"february 30", `{"v":1,"host":"h","ts":"2024-02-30T00:00:00Z","cpu":1}`, ReasonUnparsable},
		{"fractional version", `{"v":1.5,"host":"h",` + ts + `,"cpu":1}`, ReasonUnparsable},
		{"version 2", `{"v":2,"host":"h",` + ts + `,"cpu":1}`, ReasonVersion},
		{"no version", `{"host":"h",` + ts + `,"cpu":1}`, ReasonVersion},
		{"null document", `null`, ReasonUnparsable},
		{"null host", `{"v":1,"host":null,` + ts + `,"cpu":1}`, ReasonHost},
		{"empty host", `{"v":1,"host":"",` + ts + `,"cpu":1}`, ReasonHost},
		{"254-byte host", `{"v":1,"host":"` + strings.Repeat("h", 254) + `",` + ts + `,"cpu":1}`, ReasonHost},
		{"254-byte host in 2-byte runes", `{"v":1,"host":"` + strings.Repeat("é", 127) + `",` + ts + `,"cpu":1}`, ReasonHost},
		{"254-byte group", `{"v":1,"host":"h","group":"` + strings.Repeat("g", 254) + `",` + ts + `,"cpu":1}`, ReasonGroup},
		{"no ts", `{"v":1,"host":"h","cpu":1}`, ReasonTime},
		{"zero ts", `{"v":1,"host":"h","ts":"0001-01-01T00:00:00Z","cpu":1}`, ReasonTime},
		{"zero ts in a zone", `{"v":1,"host":"h","ts":"0001-01-01T01:00:00+01:00","cpu":1}`, ReasonTime},
		{"year 1900", `{"v":1,"host":"h","ts":"1900-01-01T00:00:00Z","cpu":1}`, ReasonTime},
		{"year 1969 by its zone", `{"v":1,"host":"h","ts":"1970-01-01T00:30:00+01:00","cpu":1}`, ReasonTime},
		{"year 2300", `{"v":1,"host":"h","ts":"2300-01-01T00:00:00Z","cpu":1}`, ReasonTime},
		{"year 9999", `{"v":1,"host":"h","ts":"9999-12-31T23:59:59.999999999Z","cpu":1}`, ReasonTime},
		{"past max_past", `{"v":1,"host":"h","ts":"2023-10-02T00:29:59Z","cpu":1}`, ReasonTime},
		{"past max_future", `{"v":1,"host":"h","ts":"2024-01-01T01:30:01Z","cpu":1}`, ReasonTime},
		{"negative cpu", `{"v":1,"host":"h",` + ts + `,"cpu":-1e-320}`, ReasonCPU},
		{"cpu 200.0001", `{"v":1,"host":"h",` + ts + `,"cpu":200.0001}`, ReasonCPU},
		{"cpu 1e308", `{"v":1,"host":"h",` + ts + `,"cpu":1e308}`, ReasonCPU},
		{"negative cores", `{"v":1,"host":"h",` + ts + `,"cpu":1,"cores":-1}`, ReasonCores},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := DecodeSample([]byte(c.payload), fixedLimits())
			var se *SampleError
			if !errors.As(err, &se) {
				t.Fatalf("err %v, want a *SampleError with reason %s", err, c.reason)
			}
			if se.Reason != c.reason {
				t.Fatalf("reason %s (%v), want %s", se.Reason, err, c.reason)
			}
		})
	}
}

// TestDecodeSampleAcceptsEdges pins inputs at the limits that are valid.
func TestDecodeSampleAcceptsEdges(t *testing.T) {
	const ts = `"ts":"2024-01-01T00:00:00Z"`
	cases := map[string]string{
		"cpu 0":          `{"v":1,"host":"h",` + ts + `,"cpu":0}`,
		"cpu -0":         `{"v":1,"host":"h",` + ts + `,"cpu":-0}`,
		"cpu denormal":   `{"v":1,"host":"h",` + ts + `,"cpu":1e-320}`,
		"cpu 200":        `{"v":1,"host":"h",` + ts + `,"cpu":200}`,
		"253-byte host":  `{"v":1,"host":"` + strings.Repeat("h", 253) + `",` + ts + `,"cpu":1}`,
		"253-byte group": `{"v":1,"host":"h","group":"` + strings.Repeat("g", 253) + `",` + ts + `,"cpu":1}`,
		"offset +14:00":  `{"v":1,"host":"h","ts":"2024-01-01T13:00:00+14:00","cpu":1}`,
		"offset -23:59":  `{"v":1,"host":"h","ts":"2023-12-31T00:31:00-23:59","cpu":1}`,
		"max_future":     `{"v":1,"host":"h","ts":"2024-01-01T00:31:00Z","cpu":1}`,
		"nanoseconds":    `{"v":1,"host":"h","ts":"2024-01-01T00:00:00.123456789Z","cpu":1}`,
		"escaped host":   `{"v":1,"host":"a\"b\\c\nd'e\u0000\ud83d\ude80",` + ts + `,"cpu":1}`,
		"newline after":  `{"v":1,"host":"h",` + ts + `,"cpu":1}` + "\n",
	}
	for name, payload := range cases {
		t.Run(name, func(t *testing.T) {
			s, err := DecodeSample([]byte(payload), fixedLimits())
			if err != nil {
				t.Fatal(err)
			}
			if !utf8.ValidString(s.Host) {
				t.Fatalf("host %q is not UTF-8", s.Host)
			}
		})
	}
}

// TestDecodeSampleRejectsTrailingCloser pins a hole in the trailing-data
// check: json.Decoder.More reports false before a stray '}' or ']', so a
// sample followed by one is accepted, although "trailing data after the
// sample object" is meant to be refused.
func TestDecodeSampleRejectsTrailingCloser(t *testing.T) {
	for _, tail := range []string{"}", "]", " ]]]", "}garbage"} {
		payload := `{"v":1,"host":"h","ts":"2024-01-01T00:00:00Z","cpu":1}` + tail
		_, err := DecodeSample([]byte(payload), fixedLimits())
		var se *SampleError
		if !errors.As(err, &se) || se.Reason != ReasonUnparsable {
			t.Errorf("%q: err %v, want reason %s", payload, err, ReasonUnparsable)
		}
	}
}

// TestDecodeSampleRejectsCaseFoldedKeys pins that keys match the schema
// exactly: sample.schema.json has additionalProperties false, so "HOST" is
// not "host", but encoding/json matches field names case-insensitively.
func TestDecodeSampleRejectsCaseFoldedKeys(t *testing.T) {
	payload := `{"V":1,"HOST":"h","Ts":"2024-01-01T00:00:00Z","CPU":1}`
	_, err := DecodeSample([]byte(payload), fixedLimits())
	var se *SampleError
	if !errors.As(err, &se) || se.Reason != ReasonUnparsable {
		t.Errorf("%q: err %v, want reason %s", payload, err, ReasonUnparsable)
	}
}

// TestDecodeSampleRejectsDuplicateKeys pins that a key given twice is
// refused: encoding/json keeps the last, so {"cpu":50,"cpu":500} is judged
// on one value while another consumer of the same topic may read the
// first.
func TestDecodeSampleRejectsDuplicateKeys(t *testing.T) {
	payload := `{"v":1,"host":"a","host":"b","ts":"2024-01-01T00:00:00Z","cpu":1}`
	s, err := DecodeSample([]byte(payload), fixedLimits())
	var se *SampleError
	if !errors.As(err, &se) || se.Reason != ReasonUnparsable {
		t.Errorf("%q: accepted as host %q (err %v), want reason %s", payload, s.Host, err, ReasonUnparsable)
	}
}

// TestDecodeSampleRejectsOffsetOf24Hours pins that a zone offset of
// +24:00, which RFC 3339 does not allow (hours 00-23) and which
// time.Time.MarshalJSON refuses, is accepted: the sample decodes, but
// cannot be encoded again (json: "timezone hour outside of range").
func TestDecodeSampleRejectsOffsetOf24Hours(t *testing.T) {
	for _, ts := range []string{"2024-01-01T00:00:00+24:00", "2024-01-01T00:00:00-24:00", "2024-01-01T00:00:00+24:59"} {
		payload := `{"v":1,"host":"h","ts":"` + ts + `","cpu":1}`
		s, err := DecodeSample([]byte(payload), fixedLimits())
		if err == nil {
			_, merr := json.Marshal(s)
			t.Errorf("%s: accepted; re-encoding it fails with %v", ts, merr)
		}
	}
}

// TestDecodeSampleRejectsInvalidUTF8Host pins that encoding/json rewrites
// each invalid UTF-8 byte of a string to U+FFFD instead of refusing it, so
// distinct hosts "a\xffb" and "a\xfeb" decode to one host name and their
// samples are averaged into one window. JSON text must be UTF-8 (RFC
// 8259), so such a payload should be refused as unparsable.
func TestDecodeSampleRejectsInvalidUTF8Host(t *testing.T) {
	var hosts []string
	for _, raw := range []string{"a\xffb", "a\xfeb", "\xc0\x80"} {
		payload := `{"v":1,"host":"` + raw + `","ts":"2024-01-01T00:00:00Z","cpu":1}`
		s, err := DecodeSample([]byte(payload), fixedLimits())
		if err == nil {
			hosts = append(hosts, s.Host)
			t.Errorf("host %q accepted as %q", raw, s.Host)
		}
	}
	if len(hosts) >= 2 && hosts[0] == hosts[1] {
		t.Errorf("two different hosts collapsed into %q", hosts[0])
	}
}
