package chdbstore

import (
	"math"
	"testing"
	"time"
)

func TestDecodeResultTypesAndEscapes(t *testing.T) {
	out := "s\tn\tf\tb\tts\tu\n" +
		"Nullable(String)\tUInt16\tFloat64\tBool\tDateTime64(3, 'UTC')\tArray(UInt8)\n" +
		"a\\tb\\nc\\\\d\\0\\'\t7\tnan\ttrue\t2026-01-02 03:04:05.678\t[1,2]\n" +
		"\\N\t0\t-inf\tfalse\t1970-01-01 00:00:00.000\t[]\n"

	res, err := decodeResult([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 2 || len(res.Columns) != 6 {
		t.Fatalf("got %v %v", res.Columns, res.Rows)
	}

	r := res.Rows[0]
	if r[0] != "a\tb\nc\\d\x00'" || r[1] != uint16(7) || r[3] != true || r[5] != "[1,2]" {
		t.Errorf("row 0 = %#v", r)
	}
	if f, ok := r[2].(float64); !ok || !math.IsNaN(f) {
		t.Errorf("nan = %#v", r[2])
	}
	if ts, ok := r[4].(time.Time); !ok || !ts.Equal(time.Date(2026, 1, 2, 3, 4, 5, 678e6, time.UTC)) {
		t.Errorf("ts = %#v", r[4])
	}
	if r := res.Rows[1]; r[0] != nil || !math.IsInf(r[2].(float64), -1) {
		t.Errorf("row 1 = %#v", r)
	}
}

func TestDecodeResultRefusesRaggedRows(t *testing.T) {
	if _, err := decodeResult([]byte("a\tb\nUInt8\tUInt8\n1\n")); err == nil {
		t.Error("a row with too few values was accepted")
	}
}
