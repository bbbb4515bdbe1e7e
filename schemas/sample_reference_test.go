package schemas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"testing"
)

// decodeSampleReference is DecodeSample as it was before decodeStrict moved
// to fastjson: the same checks around decodeStrictJSON. It is the
// reference FuzzDecodeSampleMatchesEncodingJSON compares DecodeSample with.
func decodeSampleReference(payload []byte, lim Limits) (Sample, error) {
	return decodeSample(payload, lim, decodeStrictJSON)
}

// decodeStrictJSON reads one JSON object field by field with
// encoding/json's token API, so that it sees every key as written.
func decodeStrictJSON(payload []byte) (Sample, error) {
	var s Sample
	err := decodeStrictJSONInto(payload, &s)
	return s, err
}

func decodeStrictJSONInto(payload []byte, s *Sample) error {
	dec := json.NewDecoder(bytes.NewReader(payload))
	if tok, err := dec.Token(); err != nil {
		return err
	} else if tok != json.Delim('{') {
		return fmt.Errorf("want a JSON object, found %v", tok)
	}

	var seen uint8 // one bit per field, in the order of referenceField
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		bit, dst := referenceField(s, key)
		if dst == nil {
			return fmt.Errorf("unknown field %q", key)
		}
		if seen&bit != 0 {
			return fmt.Errorf("field %q appears twice", key)
		}
		seen |= bit
		if err := dec.Decode(dst); err != nil {
			return fmt.Errorf("field %q: %w", key, err)
		}
	}

	if _, err := dec.Token(); err != nil { // the closing brace
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("trailing data after the sample object")
	}
	return nil
}

// referenceField returns the destination of key in s and a bit naming it,
// or a nil destination for a key the schema does not have.
func referenceField(s *Sample, key string) (uint8, any) {
	switch key {
	case "v":
		return 1 << 0, &s.Version
	case "host":
		return 1 << 1, &s.Host
	case "group":
		return 1 << 2, &s.Group
	case "ts":
		return 1 << 3, &s.Time
	case "cpu":
		return 1 << 4, &s.CPU
	case "cores":
		return 1 << 5, &s.Cores
	}
	return 0, nil
}

// BenchmarkDecodeSampleEncodingJSON is BenchmarkDecodeSample with the
// reference decoder, for comparing the two in one run.
func BenchmarkDecodeSampleEncodingJSON(b *testing.B) {
	payload := []byte(`{"v":1,"host":"web-17","group":"web","ts":"2026-12-03T10:05:00Z","cpu":37.5,"cores":4}`)
	lim := DefaultLimits()
	lim.MaxPast, lim.MaxFuture = 0, 0

	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeSampleReference(payload, lim); err != nil {
			b.Fatal(err)
		}
	}
}
