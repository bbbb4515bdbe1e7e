package chdbstore

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/scalora/scalora/pipeline/store"
)

// resultFormat keeps column order, names and types, and every byte of a
// string: JSON output would not (encoding/json turns invalid UTF-8 into
// U+FFFD, and JSON has no NaN).
const resultFormat = "TabSeparatedWithNamesAndTypes"

// decodeResult turns TabSeparatedWithNamesAndTypes output into a Result
// whose values have the Go types clickhouse-go scans the same ClickHouse
// types into, so both backends answer alike: UInt8..UInt64 and Int8..Int64
// as the sized Go integers, Float32/Float64 as float32/float64 (NaN and
// infinities included), Bool as bool, String, FixedString, Enum and UUID as
// string, Date, DateTime and DateTime64 as time.Time, NULL as nil. Other
// types (arrays, maps, tuples, decimals) come back as their text form, a
// string; clickhouse-go would give typed values there.
//
// Times of types without a time zone are read in the process's local zone,
// which is the zone chDB renders them in.
func decodeResult(out []byte) (*store.Result, error) {
	res := &store.Result{}
	if len(out) == 0 {
		return res, nil
	}

	lines := bytes.Split(bytes.TrimSuffix(out, []byte("\n")), []byte("\n"))
	if len(lines) < 2 {
		return nil, fmt.Errorf("decode result: %d header lines, want names and types", len(lines))
	}
	names, types := splitRow(lines[0]), splitRow(lines[1])
	if len(names) != len(types) {
		return nil, fmt.Errorf("decode result: %d names for %d types", len(names), len(types))
	}

	res.Columns = make([]string, len(names))
	convs := make([]func(string) (any, error), len(names))
	for i := range names {
		res.Columns[i] = unescape(names[i])
		convs[i] = converter(unescape(types[i]))
	}

	res.Rows = make([][]any, 0, len(lines)-2)
	for r, line := range lines[2:] {
		fields := splitRow(line)
		if len(fields) != len(convs) {
			return nil, fmt.Errorf("decode result: row %d has %d values for %d columns", r, len(fields), len(convs))
		}

		row := make([]any, len(fields))
		for i, f := range fields {
			if string(f) == `\N` {
				continue // NULL; a string "\N" would read \\N
			}
			v, err := convs[i](unescape(f))
			if err != nil {
				return nil, fmt.Errorf("decode result: row %d column %s: %w", r, res.Columns[i], err)
			}
			row[i] = v
		}
		res.Rows = append(res.Rows, row)
	}
	return res, nil
}

func splitRow(line []byte) [][]byte { return bytes.Split(line, []byte("\t")) }

// unescape reverses ClickHouse's TSV escaping (backslash sequences).
func unescape(f []byte) string {
	if bytes.IndexByte(f, '\\') < 0 {
		return string(f)
	}
	out := make([]byte, 0, len(f))
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c != '\\' || i+1 == len(f) {
			out = append(out, c)
			continue
		}
		i++
		switch f[i] {
		case 'n':
			out = append(out, '\n')
		case 't':
			out = append(out, '\t')
		case 'r':
			out = append(out, '\r')
		case '0':
			out = append(out, 0)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'a':
			out = append(out, '\a')
		case 'v':
			out = append(out, '\v')
		case 'e':
			out = append(out, 0x1b)
		default:
			out = append(out, f[i]) // \\, \', and any other escaped byte
		}
	}
	return string(out)
}

// converter returns the conversion of one JSON value of ClickHouse type typ.
func converter(typ string) func(string) (any, error) {
	typ = unwrap(unwrap(typ, "LowCardinality("), "Nullable(")

	switch {
	case typ == "UInt8", typ == "UInt16", typ == "UInt32", typ == "UInt64":
		bits, _ := strconv.Atoi(typ[4:])
		return func(v string) (any, error) {
			u, err := strconv.ParseUint(v, 10, bits)
			if err != nil {
				return nil, err
			}
			switch bits {
			case 8:
				return uint8(u), nil
			case 16:
				return uint16(u), nil
			case 32:
				return uint32(u), nil
			}
			return u, nil
		}
	case typ == "Int8", typ == "Int16", typ == "Int32", typ == "Int64":
		bits, _ := strconv.Atoi(typ[3:])
		return func(v string) (any, error) {
			n, err := strconv.ParseInt(v, 10, bits)
			if err != nil {
				return nil, err
			}
			switch bits {
			case 8:
				return int8(n), nil
			case 16:
				return int16(n), nil
			case 32:
				return int32(n), nil
			}
			return n, nil
		}
	case typ == "Float32":
		return func(v string) (any, error) {
			f, err := strconv.ParseFloat(v, 32)
			return float32(f), err
		}
	case typ == "Float64":
		return func(v string) (any, error) { return strconv.ParseFloat(v, 64) }
	case typ == "Bool":
		return func(v string) (any, error) { return strconv.ParseBool(v) }
	case typ == "String", typ == "UUID", strings.HasPrefix(typ, "FixedString("), strings.HasPrefix(typ, "Enum"):
		return func(v string) (any, error) { return v, nil }
	case typ == "Date", typ == "Date32":
		return timeConverter("2006-01-02", time.UTC)
	case strings.HasPrefix(typ, "DateTime"):
		return timeConverter("2006-01-02 15:04:05.999999999", zoneOf(typ))
	}
	return func(v string) (any, error) { return v, nil }
}

func timeConverter(layout string, loc *time.Location) func(string) (any, error) {
	return func(v string) (any, error) {
		t, err := time.ParseInLocation(layout, v, loc)
		if err != nil {
			return nil, err
		}
		return t, nil
	}
}

// zoneOf reads the zone of DateTime('Z') or DateTime64(3, 'Z'); types
// without one are rendered in the engine's zone, the process's local zone.
func zoneOf(typ string) *time.Location {
	i := strings.IndexByte(typ, '\'')
	j := strings.LastIndexByte(typ, '\'')
	if i < 0 || j <= i {
		return time.Local
	}
	loc, err := time.LoadLocation(typ[i+1 : j])
	if err != nil {
		return time.Local
	}
	return loc
}

func unwrap(typ, wrapper string) string {
	if strings.HasPrefix(typ, wrapper) && strings.HasSuffix(typ, ")") {
		return typ[len(wrapper) : len(typ)-1]
	}
	return typ
}
