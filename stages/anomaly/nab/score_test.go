package nab

import (
	"math"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2014, 2, 14, 0, 0, 0, 0, time.UTC)

// rows returns n timestamps 5 minutes apart from t0.
func rows(n int) []time.Time {
	ts := make([]time.Time, n)
	for i := range ts {
		ts[i] = t0.Add(time.Duration(i) * 5 * time.Minute)
	}
	return ts
}

// win is the window from row a to row b inclusive, by timestamps.
func win(ts []time.Time, a, b int) Window { return Window{Start: ts[a], End: ts[b]} }

func near(t *testing.T, name string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9 {
		t.Errorf("%s = %.12f, want %.12f", name, got, want)
	}
}

// TestScoreHandMadeFile checks the scorer on a file whose score was worked
// out by hand:
//
// 100 rows, so probation = floor(0.15 × 100) = 15 rows (0-14).
// Windows: W1 rows 20-29, W2 rows 50-59, W3 rows 80-89 (width 10 each).
// Detections:
//   - row 5: in probation, ignored;
//   - row 17: before any window, a false positive at the full -fp;
//   - row 20: first row of W1 (early): position -(29-20+1)/10 = -1, so
//     S(-1)/S(-1) × tp = 1 exactly;
//   - row 25: also in W1, but only the earliest detection counts;
//   - row 35: after W1, position (35-29)/(10-1) = 0.6667:
//     S(0.6667) = 2/(1+e^3.3333) - 1 = 2/29.0316 - 1 = -0.931110, times fp;
//   - row 57: in W2, late: position -(59-57+1)/10 = -0.3:
//     S(-0.3) = 2/(1+e^-1.5) - 1 = 2/1.223130 - 1 = 0.635149, and
//     S(-1) = 2/(1+e^-5) - 1 = 2/1.006738 - 1 = 0.986614, so
//     0.635149 / 0.986614 = 0.643766 × tp;
//   - W3: no detection, a missed window: -fn.
//
// standard (tp 1, fp 0.11, fn 1):
// raw = 1 + 0.643766 - 1 - 0.11 × 0.931110 - 0.11 = 0.431344;
// null = -3, perfect = 3, normalised = 100 × 3.431344 / 6 = 57.189.
// reward_low_FP_rate (fp 0.22): raw = 1 + 0.643766 - 1 - 0.204844 - 0.22
// = 0.218922, normalised 100 × 3.218922 / 6 = 53.649.
// reward_low_FN_rate (fn 2): raw = 1 + 0.643766 - 2 - 0.102422 - 0.11
// = -0.568656; null = -6, normalised 100 × 5.431344 / 9 = 60.348.
func TestScoreHandMadeFile(t *testing.T) {
	ts := rows(100)
	det := make([]bool, 100)
	for _, i := range []int{5, 17, 20, 25, 35, 57} {
		det[i] = true
	}
	windows := []Window{win(ts, 20, 29), win(ts, 50, 59), win(ts, 80, 89)}

	late := (2/(1+math.Exp(-1.5)) - 1) / (2/(1+math.Exp(-5)) - 1)
	fpPos := 2/(1+math.Exp(5*6.0/9)) - 1
	near(t, "late reward", late, 0.6437662150)
	near(t, "fp sigmoid", fpPos, -0.9311096087)

	cases := []struct {
		p                Profile
		raw, null, score float64
	}{
		{Standard, 1 + late - 1 + 0.11*fpPos - 0.11, -3, 57.18906930},
		{RewardLowFP, 1 + late - 1 + 0.22*fpPos - 0.22, -3, 53.64870168},
		{RewardLowFN, 1 + late - 2 + 0.11*fpPos - 0.11, -6, 60.34826842},
	}
	for _, c := range cases {
		r := Score(ts, det, windows, c.p)
		near(t, c.p.Name+" raw", r.Raw, c.raw)
		near(t, c.p.Name+" null", r.Null, c.null)
		near(t, c.p.Name+" perfect", r.Perfect, 3)
		if got := Normalised(r.Raw, r.Null, r.Perfect); math.Abs(got-c.score) > 1e-6 {
			t.Errorf("%s normalised = %.8f, want %.8f", c.p.Name, got, c.score)
		}

		want := Counts{Rows: 100, Probation: 15, Windows: 3, TP: 2, FN: 1, FP: 2, Detections: 5}
		if r.Counts != want {
			t.Errorf("%s counts = %+v, want %+v", c.p.Name, r.Counts, want)
		}
	}
}

// TestScoreFalsePositiveFadesAfterWindow pins the FP weighting: just after a
// window it costs little, one width later nearly the full weight, and
// three widths or more exactly the full weight.
func TestScoreFalsePositiveFadesAfterWindow(t *testing.T) {
	ts := rows(200)
	windows := []Window{win(ts, 40, 49)} // width 10, last row 49
	cost := func(row int) float64 {
		det := make([]bool, 200)
		det[row] = true
		return Score(ts, det, windows, Standard).Raw + 1 // remove the miss
	}

	// Row 50: position 1/9, S = 2/(1+e^(5/9)) - 1 = -0.270860.
	near(t, "row 50", cost(50), 0.11*(2/(1+math.Exp(5.0/9))-1))
	if c := cost(50); c > -0.02 || c < -0.04 {
		t.Errorf("FP right after the window costs %.4f, want about -0.03", c)
	}
	near(t, "row 49+27 (position 3)", cost(76), -0.11)
	near(t, "row 120", cost(120), -0.11)
}

// TestScoreProbationWindowNotScored: a window wholly inside probation is
// neither rewarded nor counted missed, but still counts towards Perfect.
func TestScoreProbationWindowNotScored(t *testing.T) {
	ts := rows(100)
	det := make([]bool, 100)
	r := Score(ts, det, []Window{win(ts, 2, 8)}, Standard)
	if r.Windows != 0 || r.FN != 0 || r.Raw != 0 || r.Null != 0 || r.Perfect != 1 {
		t.Errorf("probation window scored: %+v", r)
	}
}

func TestProbationLength(t *testing.T) {
	for n, want := range map[int]int{100: 15, 4032: 604, 5000: 750, 18050: 750, 6: 0} {
		if got := ProbationLength(n); got != want {
			t.Errorf("ProbationLength(%d) = %d, want %d", n, got, want)
		}
	}
}

func TestReadLabelsAndFor(t *testing.T) {
	const doc = `{
  "realKnownCause/a.csv": [["2014-07-10 12:29:00.000000", "2014-07-15 17:19:00.000000"]],
  "realAWSCloudwatch/b.csv": []
}`
	l, err := ReadLabels(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	key, ws, ok := l.For("../shared/data/nab/realKnownCause/a.csv")
	if !ok || key != "realKnownCause/a.csv" || len(ws) != 1 {
		t.Fatalf("For = %q %v %v", key, ws, ok)
	}
	if want := time.Date(2014, 7, 10, 12, 29, 0, 0, time.UTC); !ws[0].Start.Equal(want) {
		t.Errorf("start %v, want %v", ws[0].Start, want)
	}
	if _, ws, ok := l.For("x/realAWSCloudwatch/b.csv"); !ok || len(ws) != 0 {
		t.Errorf("file without windows: %v %v", ws, ok)
	}
	if _, _, ok := l.For("other/a.csv"); ok {
		t.Error("a.csv under another folder matched")
	}

	for _, bad := range []string{`[`, `{"a.csv": [["2014-01-01 00:00:00"]]}`,
		`{"a.csv": [["2014-01-02 00:00:00", "2014-01-01 00:00:00"]]}`, `{"a.csv": [["x", "y"]]}`} {
		if _, err := ReadLabels(strings.NewReader(bad)); err == nil {
			t.Errorf("ReadLabels(%q) accepted", bad)
		}
	}
}
