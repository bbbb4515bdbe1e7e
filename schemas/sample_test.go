package schemas

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestDecodeSampleAcceptsAValidSample(t *testing.T) {
	lim := DefaultLimits()
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	lim.Now = func() time.Time { return now }

	s, err := DecodeSample([]byte(`{"v":1,"host":"web-1","ts":"2026-12-03T09:59:00Z","cpu":37.5,"cores":4}`), lim)
	if err != nil {
		t.Fatal(err)
	}
	if s.Host != "web-1" || s.Group != DefaultGroup || s.CPU != 37.5 || s.Cores != 4 ||
		!s.Time.Equal(now.Add(-time.Minute)) {
		t.Fatalf("decoded %+v", s)
	}
}

func TestDecodeSampleRejectsTimesOutsideTheLimits(t *testing.T) {
	lim := DefaultLimits()
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	lim.Now = func() time.Time { return now }

	cases := map[string]string{
		"older than max_past":     "2026-08-01T00:00:00Z",
		"beyond max_future":       "2026-12-03T10:01:01Z",
		"before 1970 (no limits)": "1969-12-31T23:59:59Z",
		"year 2300 (no limits)":   "2300-01-01T00:00:00Z",
	}
	for name, ts := range cases {
		t.Run(name, func(t *testing.T) {
			l := lim
			if strings.Contains(name, "no limits") {
				l.MaxPast, l.MaxFuture = 0, 0
			}
			_, err := DecodeSample([]byte(`{"v":1,"host":"h","ts":"`+ts+`","cpu":1}`), l)
			var se *SampleError
			if !errors.As(err, &se) || se.Reason != ReasonTime {
				t.Fatalf("err = %v, want reason %s", err, ReasonTime)
			}
		})
	}

	lim.MaxPast = 0
	if _, err := DecodeSample([]byte(`{"v":1,"host":"h","ts":"2014-02-14T14:30:00Z","cpu":1}`), lim); err != nil {
		t.Fatalf("max_past 0 means no limit on the past: %v", err)
	}
}
