package window

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas"
)

func TestAddClosesSteps(t *testing.T) {
	ns := time.Nanosecond
	ist := time.FixedZone("IST", 5*3600+1800)

	cases := []struct {
		name    string
		cfg     Config
		samples []schemas.Sample
		flush   bool // FlushAll after the samples
		want    []schemas.Step
	}{
		{
			name: "one nanosecond before the boundary stays in the step",
			samples: []schemas.Sample{
				sample("h", at(0, 0), 10),
				sample("h", at(1, -ns), 20),
			},
			flush: true,
			want:  []schemas.Step{step(at(0, 0), 15, 2)},
		},
		{
			name: "a sample exactly on the boundary opens the next step",
			samples: []schemas.Sample{
				sample("h", at(0, 0), 10),
				sample("h", at(1, 0), 20),
			},
			want: []schemas.Step{step(at(0, 0), 10, 1)},
		},
		{
			name: "the open step stays open without a later sample",
			samples: []schemas.Sample{
				sample("h", at(0, 0), 10),
				sample("h", at(0, 59*time.Second), 20),
			},
		},
		{
			name: "mean of the step's samples",
			samples: []schemas.Sample{
				sample("h", at(0, 0), 10),
				sample("h", at(0, 15*time.Second), 20),
				sample("h", at(0, 59*time.Second+999_999_999*ns), 60),
				sample("h", at(1, 0), 99),
			},
			want: []schemas.Step{step(at(0, 0), 30, 3)},
		},
		{
			name: "max of the step's samples",
			cfg:  Config{Aggregate: AggregateMax},
			samples: []schemas.Sample{
				sample("h", at(0, 0), 10),
				sample("h", at(0, 15*time.Second), 60),
				sample("h", at(0, 30*time.Second), 20),
				sample("h", at(1, 0), 5),
				sample("h", at(1, 1), 3),
				sample("h", at(2, 0), 99),
			},
			want: []schemas.Step{step(at(0, 0), 60, 3), step(at(1, 0), 5, 2)},
		},
		{
			name: "cpu above 100 is kept as measured",
			samples: []schemas.Sample{
				sample("h", at(0, 0), 112.5),
				sample("h", at(1, 0), 0),
			},
			want: []schemas.Step{step(at(0, 0), 112.5, 1)},
		},
		{
			name: "a gap is filled linearly when the step after it closes",
			samples: []schemas.Sample{
				sample("h", at(0, 0), 10),
				sample("h", at(4, 0), 40),
				sample("h", at(4, 30*time.Second), 60),
				sample("h", at(5, 0), 0),
			},
			want: []schemas.Step{
				step(at(0, 0), 10, 1),
				step(at(1, 0), 20, 0),
				step(at(2, 0), 30, 0),
				step(at(3, 0), 40, 0),
				step(at(4, 0), 50, 2),
			},
		},
		{
			name: "a gap of exactly MaxGapSteps is filled",
			cfg:  Config{MaxGapSteps: 3},
			samples: []schemas.Sample{
				sample("h", at(0, 0), 0),
				sample("h", at(4, 0), 8),
			},
			flush: true,
			want: []schemas.Step{
				step(at(0, 0), 0, 1),
				step(at(1, 0), 2, 0),
				step(at(2, 0), 4, 0),
				step(at(3, 0), 6, 0),
				step(at(4, 0), 8, 1),
			},
		},
		{
			name: "a gap one step longer than MaxGapSteps is not filled",
			cfg:  Config{MaxGapSteps: 3},
			samples: []schemas.Sample{
				sample("h", at(0, 0), 0),
				sample("h", at(5, 0), 10),
			},
			flush: true,
			want:  []schemas.Step{step(at(0, 0), 0, 1), step(at(5, 0), 10, 1)},
		},
		{
			name: "a negative MaxGapSteps fills nothing",
			cfg:  Config{MaxGapSteps: -1},
			samples: []schemas.Sample{
				sample("h", at(0, 0), 0),
				sample("h", at(2, 0), 10),
			},
			flush: true,
			want:  []schemas.Step{step(at(0, 0), 0, 1), step(at(2, 0), 10, 1)},
		},
		{
			name: "samples in another zone land on the UTC grid",
			samples: []schemas.Sample{
				sample("h", at(0, 30*time.Second).In(ist), 10),
				sample("h", at(1, 0).In(ist), 20),
			},
			want: []schemas.Step{step(at(0, 0), 10, 1)},
		},
		{
			// 2026-12-03T10:00:00Z is 1796292000 s after the epoch, 300 s
			// past a multiple of 420 s; time.Truncate would give 09:54:00.
			name: "steps that do not divide a day align to the epoch",
			cfg:  Config{Step: 7 * time.Minute},
			samples: []schemas.Sample{
				sample("h", at(0, 0), 10),
				sample("h", at(2, -ns), 20),
				sample("h", at(2, 0), 30),
			},
			want: []schemas.Step{step(at(-5, 0), 15, 2)},
		},
		{
			name: "steps before 1970 are floored, not truncated toward zero",
			cfg:  Config{Step: 7 * time.Minute},
			samples: []schemas.Sample{
				sample("h", time.Unix(-60, 0), 10),
				sample("h", time.Unix(0, 0), 20),
			},
			flush: true,
			want: []schemas.Step{
				step(time.Unix(-420, 0).UTC(), 10, 1),
				step(time.Unix(0, 0).UTC(), 20, 1),
			},
		},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWindower(t, tc.cfg)
			got := feed(t, w, tc.samples...)
			if tc.flush {
				got = w.FlushAll(got)
			}
			wantSteps(t, got, tc.want...)
		})
	}
}

// The 7-minute case above relies on time.Truncate disagreeing with the epoch
// grid; this pins that the disagreement is real, so the case can fail.
func TestTruncateIsNotEpochAlignedForSevenMinutes(t *testing.T) {
	if got := base.Truncate(7 * time.Minute); got.Equal(at(-5, 0)) {
		t.Fatalf("time.Truncate gave the epoch-aligned %s; the epoch-alignment case proves nothing", got)
	}
}

func TestFilledValuesInTheWindow(t *testing.T) {
	w := newWindower(t, Config{Size: 6})
	got := feed(t, w,
		sample("h", at(0, 0), 10),
		sample("h", at(1, 0), 10),
		sample("h", at(4, 0), 70),
		sample("h", at(5, 0), 0),
	)

	last := got[len(got)-1]
	if want := []float64{10, 10, 30, 50, 70}; !slices.Equal(last.Values, want) {
		t.Errorf("values after the gap = %v, want %v", last.Values, want)
	}
	for _, c := range got {
		if c.Step.Filled != (c.Step.Samples == 0) {
			t.Errorf("step %s: Filled and Samples disagree", stepLine(c.Step))
		}
	}
}

func TestLongGapResetsReadiness(t *testing.T) {
	w := newWindower(t, Config{}) // Size 24, MaxGapSteps 5

	// 24 steps from 09:41 to 10:04, then 17 missing (10:05 to 10:21), then
	// steps again from 10:22.
	var in []schemas.Sample
	for n := -19; n <= 4; n++ {
		in = append(in, sample("h", at(n, 0), float64(n)))
	}
	got := feed(t, w, append(in, sample("h", at(22, 0), 100))...)
	if len(got) != 24 || !got[23].Ready || got[23].Reason != "" {
		t.Fatalf("before the gap: %d closed, last ready=%v reason=%q; want 24 closed, ready",
			len(got), got[len(got)-1].Ready, got[len(got)-1].Reason)
	}

	in = nil
	for n := 23; n <= 46; n++ {
		in = append(in, sample("h", at(n, 0), float64(100+n-22)))
	}
	got = feed(t, w, in...)

	sixth := got[5]
	wantReason := "gap of 17 steps at 2026-12-03T10:05:00Z; need 24 steps, have 6"
	if sixth.Ready || sixth.Reason != wantReason {
		t.Errorf("6th step after the gap: ready=%v reason=%q, want not ready, %q",
			sixth.Ready, sixth.Reason, wantReason)
	}
	if want := []float64{100, 101, 102, 103, 104, 105}; !slices.Equal(sixth.Values, want) {
		t.Errorf("6th step after the gap: values %v, want only the steps since the gap %v",
			sixth.Values, want)
	}
	for _, c := range got {
		if c.Step.Filled {
			t.Errorf("step %s was filled across a gap longer than MaxGapSteps", stepLine(c.Step))
		}
	}

	if c := got[22]; c.Ready || !strings.HasSuffix(c.Reason, "have 23") {
		t.Errorf("23rd step after the gap: ready=%v reason=%q, want not ready, have 23", c.Ready, c.Reason)
	}
	if c := got[23]; !c.Ready || c.Reason != "" || len(c.Values) != 24 || c.Values[0] != 100 {
		t.Errorf("24th step after the gap: ready=%v reason=%q values=%v, want ready from 100",
			c.Ready, c.Reason, c.Values)
	}
}

func TestWindowSlidesAndReadyFlipsAtExactlySize(t *testing.T) {
	const size = 4
	w := newWindower(t, Config{Size: size, MaxGapSteps: 2})

	var in []schemas.Sample
	for n := range 11 {
		in = append(in, sample("h", at(n, 0), float64(n+1)))
	}
	got := feed(t, w, in...)

	if len(got) != 10 {
		t.Fatalf("closed %d steps, want 10", len(got))
	}
	for k, c := range got {
		// Step k holds value k+1; the window ends with it.
		var want []float64
		for v := max(1, k+2-size); v <= k+1; v++ {
			want = append(want, float64(v))
		}
		if !slices.Equal(c.Values, want) {
			t.Errorf("step %d: values %v, want %v", k, c.Values, want)
		}

		ready := k+1 >= size
		wantReason := ""
		if !ready {
			wantReason = "have " + string(rune('0'+k+1)) + " of 4 steps"
		}
		if c.Ready != ready || c.Reason != wantReason {
			t.Errorf("step %d: ready=%v reason=%q, want %v %q", k, c.Ready, c.Reason, ready, wantReason)
		}
	}
}

func TestLateSampleIsRejectedAndCounted(t *testing.T) {
	w := newWindower(t, Config{})
	feed(t, w, sample("h", at(5, 0), 10))

	dst := make([]Closed, 1, 4)
	got, err := w.Add(sample("h", at(5, -time.Nanosecond), 99), dst)

	var se *schemas.SampleError
	if !errors.As(err, &se) || se.Reason != schemas.ReasonLate {
		t.Fatalf("Add of a sample one nanosecond before the open step: err %v, want a %q SampleError",
			err, schemas.ReasonLate)
	}
	for _, s := range []string{"step 2026-12-03T10:04:00Z", "oldest open step is 2026-12-03T10:05:00Z", `"h"`} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not name %s", err, s)
		}
	}
	if len(got) != 1 || w.Late() != 1 {
		t.Errorf("after a late sample: len(dst)=%d Late()=%d, want 1 and 1", len(got), w.Late())
	}

	// The late sample changed nothing: the open step still holds one sample.
	got = feed(t, w, sample("h", at(5, time.Second), 20), sample("h", at(6, 0), 0))
	wantSteps(t, got, step(at(5, 0), 15, 2))

	// A step closed by Flush is closed for good.
	w.Flush("h", nil)
	if _, err := w.Add(sample("h", at(6, 59*time.Second), 1), nil); !errors.As(err, &se) ||
		se.Reason != schemas.ReasonLate || !strings.Contains(err.Error(), "already closed") {
		t.Errorf("Add to a flushed step: err %v, want late, already closed", err)
	}
	if w.Late() != 2 {
		t.Errorf("Late() = %d, want 2", w.Late())
	}
}

func TestInvalidSamplesAreRejected(t *testing.T) {
	cases := []struct {
		name   string
		s      schemas.Sample
		reason string
	}{
		{"empty host", sample("", at(0, 0), 1), schemas.ReasonHost},
		{"NaN cpu", sample("h", at(0, 0), math.NaN()), schemas.ReasonCPU},
		{"infinite cpu", sample("h", at(0, 0), math.Inf(1)), schemas.ReasonCPU},
		{"zero time", sample("h", time.Time{}, 1), schemas.ReasonTime},
		{"year 2200", sample("h", time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC), 1), schemas.ReasonTime},
		{"year 1800", sample("h", time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC), 1), schemas.ReasonTime},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWindower(t, Config{})
			_, err := w.Add(tc.s, nil)

			var se *schemas.SampleError
			if !errors.As(err, &se) || se.Reason != tc.reason {
				t.Fatalf("err %v, want a %q SampleError", err, tc.reason)
			}
			if w.Hosts() != 0 || w.Late() != 0 {
				t.Errorf("Hosts()=%d Late()=%d after a rejected sample, want 0 and 0", w.Hosts(), w.Late())
			}
		})
	}
}

func TestMaxHostsRejectsOnlyNewHosts(t *testing.T) {
	w := newWindower(t, Config{MaxHosts: 2})
	feed(t, w, sample("a", at(0, 0), 1), sample("b", at(0, 0), 1))

	_, err := w.Add(sample("c", at(0, 0), 1), nil)
	if !errors.Is(err, ErrTooManyHosts) || !strings.Contains(err.Error(), `"c"`) {
		t.Fatalf("third host: err %v, want ErrTooManyHosts naming the host", err)
	}

	got := feed(t, w, sample("a", at(1, 0), 1), sample("b", at(1, 0), 1))
	if len(got) != 2 || w.Hosts() != 2 {
		t.Errorf("known hosts after the limit: closed %d, Hosts()=%d; want 2 and 2", len(got), w.Hosts())
	}
}

func TestGroupFollowsTheLatestSample(t *testing.T) {
	w := newWindower(t, Config{})
	s0 := sample("h", at(0, 0), 1)
	s0.Group = ""
	s1 := sample("h", at(1, 0), 1)
	s1.Group = "api"
	s2 := sample("h", at(2, 0), 1)

	got := feed(t, w, s0, s1, s2)
	if len(got) != 2 || got[0].Step.Group != schemas.DefaultGroup || got[1].Step.Group != "api" {
		t.Errorf("groups of the closed steps: %v, want [%s api]", got, schemas.DefaultGroup)
	}
}

func TestFlushClosesOpenStepsInHostOrder(t *testing.T) {
	w := newWindower(t, Config{})
	feed(t, w,
		sample("b", at(0, 0), 2),
		sample("a", at(0, 0), 1),
		sample("c", at(0, 0), 3),
		sample("c", at(1, 0), 4),
	)

	got := w.FlushAll(nil)
	var hosts []string
	for _, c := range got {
		hosts = append(hosts, c.Step.Host+"@"+c.Step.Time.Format("15:04"))
	}
	if want := []string{"a@10:00", "b@10:00", "c@10:01"}; !slices.Equal(hosts, want) {
		t.Errorf("FlushAll closed %v, want %v", hosts, want)
	}

	if again := w.FlushAll(nil); len(again) != 0 {
		t.Errorf("second FlushAll closed %d steps, want none", len(again))
	}
	if got := w.Flush("unknown", make([]Closed, 2)); len(got) != 2 {
		t.Errorf("Flush of an unknown host changed dst to %d entries", len(got))
	}

	// After a flush, a later step opens quietly and the gap since the
	// flushed step is filled as usual.
	if got := feed(t, w, sample("a", at(2, 0), 5)); len(got) != 0 {
		t.Errorf("first sample after a flush closed %d steps, want none", len(got))
	}
	got = w.Flush("a", nil)
	wantSteps(t, got,
		schemas.Step{Host: "a", Group: "web", Time: at(1, 0), CPU: 3, Filled: true},
		schemas.Step{Host: "a", Group: "web", Time: at(2, 0), CPU: 5, Samples: 1},
	)
}
