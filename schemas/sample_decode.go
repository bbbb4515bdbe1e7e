package schemas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"unique"

	"github.com/valyala/fastjson"
)

// decodeStrict reads one JSON object into a Sample, seeing every key as
// written. It accepts exactly what the encoding/json reading it replaced
// accepted (kept as the reference in sample_reference_test.go, and
// compared with this one by FuzzDecodeSampleMatchesEncodingJSON), yielding
// the same sample:
//
//   - the payload must be one JSON value (RFC 8259, whitespace around
//     allowed) and that value an object;
//   - every key, once unescaped, must name a field, and only once;
//   - null leaves a field unset, as encoding/json does;
//   - v must be an integer literal (no fraction, no exponent) that fits an
//     int, cpu and cores numbers that strconv.ParseFloat reads without a
//     range error, host and group strings;
//   - ts is handed, as written, to time.Time.UnmarshalJSON, which does not
//     unescape it: "\u0032024-..." is refused there too.
//
// The payload must already be valid UTF-8 (DecodeSample checks it).
//
// fastjson's parser is lenient (it takes NaN, +1, raw control characters
// in strings and unknown escapes) and unescapes strings on a best-effort
// basis that differs from encoding/json for lone UTF-16 surrogates, so the
// payload is first checked with fastjson.ValidateBytes, which is strict
// except for control characters (see hasControl), and string values with
// escapes are unescaped by encoding/json (see unquote). Keys are unescaped
// by fastjson; its differences cannot turn an unknown key into a known
// one, since field names are plain ASCII letters and every difference
// leaves a backslash or a non-ASCII rune in the key.
//
// Steady-state decoding allocates only the host string and, for an offset
// other than Z or the local one, the time's *time.Location; a group name
// already in use comes from unique.Make, which allocates only for a new one.
func decodeStrict(payload []byte) (Sample, error) {
	if err := fastjson.ValidateBytes(payload); err != nil {
		return Sample{}, err
	}

	d := decoders.Get().(*sampleDecoder)
	defer d.release()

	v, err := d.parser.ParseBytes(payload)
	if err != nil {
		// Only the parser's depth limit (fastjson.MaxDepth) fails here
		// after ValidateBytes, and no value that deep is a valid field.
		return Sample{}, err
	}
	obj, err := v.Object()
	if err != nil {
		return Sample{}, errors.New("want a JSON object")
	}

	obj.Visit(d.visit)
	return d.s, d.err
}

// decoders holds parsers and scratch buffers between calls. A pooled
// decoder keeps buffers as large as the largest payload it decoded (at most
// Limits.MaxBytes, plus one fastjson.Value per JSON value in it), until the
// garbage collector empties the pool.
var decoders = sync.Pool{New: func() any {
	d := &sampleDecoder{}
	d.visit = d.field // bound once, so Visit does not allocate a closure per call
	return d
}}

// sampleDecoder is the per-call state of decodeStrict.
type sampleDecoder struct {
	parser fastjson.Parser
	raw    []byte // the value being read, as written in the payload
	str    []byte // a string value, unescaped
	visit  func(key []byte, v *fastjson.Value)

	s    Sample // what has been read so far
	seen uint8  // the field* bits of the keys read
	err  error
}

// release clears the per-call state and returns d to the pool.
func (d *sampleDecoder) release() {
	d.s, d.seen, d.err = Sample{}, 0, nil
	decoders.Put(d)
}

// Bits naming a sample's fields, for sampleDecoder.seen.
const (
	fieldVersion uint8 = 1 << iota
	fieldHost
	fieldGroup
	fieldTime
	fieldCPU
	fieldCores
)

// field reads one key and its value into d.s, or records why it cannot.
// After the first error it does nothing more.
func (d *sampleDecoder) field(key []byte, v *fastjson.Value) {
	if d.err != nil {
		return
	}

	var bit uint8
	switch string(key) {
	case "v":
		bit = fieldVersion
	case "host":
		bit = fieldHost
	case "group":
		bit = fieldGroup
	case "ts":
		bit = fieldTime
	case "cpu":
		bit = fieldCPU
	case "cores":
		bit = fieldCores
	default:
		d.err = fmt.Errorf("unknown field %q", key)
		return
	}
	if d.seen&bit != 0 {
		d.err = fmt.Errorf("field %q appears twice", key)
		return
	}
	d.seen |= bit

	if err := d.value(bit, v); err != nil {
		d.err = fmt.Errorf("field %q: %w", key, err)
	}
}

// value stores v in the field named by bit.
func (d *sampleDecoder) value(bit uint8, v *fastjson.Value) error {
	// MarshalTo gives strings, numbers and literals as written (objects
	// and arrays re-encoded, which only matters for ts, whose
	// UnmarshalJSON refuses anything not starting with a quote). Type
	// must not be asked first: it unescapes strings in place.
	d.raw = v.MarshalTo(d.raw[:0])
	raw := d.raw
	if raw[0] == '"' && hasControl(raw) {
		return errors.New("control character in string")
	}

	if bit == fieldTime {
		return d.s.Time.UnmarshalJSON(raw) // null included: it is a no-op there
	}
	if string(raw) == "null" {
		return nil
	}

	switch bit {
	case fieldVersion:
		return parseInt(raw, &d.s.Version)
	case fieldHost:
		str, err := d.unquote(raw)
		if err == nil {
			d.s.Host = string(str)
		}
		return err
	case fieldGroup:
		str, err := d.unquote(raw)
		if err == nil {
			d.s.Group = unique.Make(string(str)).Value()
		}
		return err
	case fieldCPU:
		return parseFloat(raw, &d.s.CPU)
	default:
		return parseFloat(raw, &d.s.Cores)
	}
}

// hasControl tells whether raw holds a byte below 0x20, which JSON allows
// in a string only escaped. fastjson.Validate misses such a byte when an
// escape follows it in the same string ("\x00\\b" passes); the keys it
// misses this way do not matter, since no field name has such a byte.
func hasControl(raw []byte) bool {
	for _, c := range raw {
		if c < 0x20 {
			return true
		}
	}
	return false
}

// unquote returns the string value raw (with its quotes) unescaped into
// d.str, or an error if raw is not a string.
func (d *sampleDecoder) unquote(raw []byte) ([]byte, error) {
	if raw[0] != '"' {
		return nil, fmt.Errorf("cannot read %s into a string", kindOf(raw))
	}
	inner := raw[1 : len(raw)-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		return inner, nil // nothing to unescape: the common case, no allocation
	}
	// Escaped strings are rare in samples: encoding/json itself decodes
	// them, so surrogates and the rest come out exactly as it reads them.
	var str string
	if err := json.Unmarshal(raw, &str); err != nil {
		return nil, err
	}
	d.str = append(d.str[:0], str...)
	return d.str, nil
}

// parseInt reads a number literal into an int as encoding/json does: with
// strconv.ParseInt, so "1.0" and "1e0" are refused.
func parseInt(raw []byte, dst *int) error {
	if !isNumber(raw) {
		return fmt.Errorf("cannot read %s into an int", kindOf(raw))
	}
	n, err := strconv.ParseInt(string(raw), 10, 0)
	if err != nil {
		return fmt.Errorf("cannot read number %s into an int", raw)
	}
	*dst = int(n)
	return nil
}

// parseFloat reads a number literal into a float64 as encoding/json does:
// with strconv.ParseFloat, so numbers beyond float64's range are refused.
func parseFloat(raw []byte, dst *float64) error {
	if !isNumber(raw) {
		return fmt.Errorf("cannot read %s into a float64", kindOf(raw))
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil {
		return fmt.Errorf("cannot read number %s into a float64", raw)
	}
	*dst = f
	return nil
}

// isNumber tells whether raw, a valid JSON value, is a number.
func isNumber(raw []byte) bool {
	return raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9'
}

// kindOf names the kind of raw, a valid JSON value, for error messages.
func kindOf(raw []byte) string {
	switch raw[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}
