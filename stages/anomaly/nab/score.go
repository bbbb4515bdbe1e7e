package nab

import (
	"math"
	"sort"
	"time"
)

// ProbationPercent and MaxProbation give NAB's probation period: the first
// min(floor(0.15 n), 750) rows of an n-row file (NAB writes the cap as
// 0.15 × 5000).
const (
	ProbationPercent = 0.15
	MaxProbation     = 750
)

// ProbationLength is the number of leading rows of an n-row file that NAB
// does not score.
func ProbationLength(n int) int {
	return min(int(math.Floor(ProbationPercent*float64(n))), MaxProbation)
}

// ScaledSigmoid is NAB's reward curve: 2/(1+e^(5x)) - 1, and exactly -1 for
// x ≥ 3. x is a position relative to a window: -1 at its first row, 0 at
// its end, above 0 after it (in window widths).
func ScaledSigmoid(x float64) float64 {
	if x >= 3 {
		return -1
	}
	return 2/(1+math.Exp(5*x)) - 1
}

// Counts are what a file's detections came to, whatever the profile.
type Counts struct {
	// Rows is the file's number of rows; Probation the leading rows not
	// scored (ProbationLength(Rows)).
	Rows      int `json:"rows"`
	Probation int `json:"probation"`

	// Windows is the labelled windows with at least one row after
	// probation: the ones scored. TP of them hold a detection, FN none.
	Windows int `json:"windows"`
	TP      int `json:"tp"`
	FN      int `json:"fn"`

	// FP is the detections after probation outside every window; each
	// costs up to the profile's FP weight.
	FP int `json:"fp"`

	// Detections is every detection after probation, in windows or not.
	Detections int `json:"detections"`
}

// Result is one file scored under one profile.
type Result struct {
	Counts
	Profile string `json:"profile"`

	// Raw is NAB's raw score of the file; Null that of a detector that
	// never fires (-FN weight per scored window); Perfect that of one
	// detection on the first row of every labelled window.
	Raw     float64 `json:"raw"`
	Null    float64 `json:"null"`
	Perfect float64 `json:"perfect"`
}

// span is a window as row indices, both inclusive.
type span struct{ left, right int }

func (s span) width() int { return s.right - s.left + 1 }

// Score scores the detections of one file under profile p. times are the
// file's row timestamps in increasing order, detected says which rows the
// detector flagged (same length), windows are the file's labelled windows,
// sorted by start and not overlapping (as ReadLabels returns them).
//
// Score panics when times and detected differ in length.
func Score(times []time.Time, detected []bool, windows []Window, p Profile) Result {
	if len(times) != len(detected) {
		panic("nab.Score: times and detected differ in length")
	}

	n := len(times)
	res := Result{Profile: p.Name}
	res.Rows = n
	res.Probation = ProbationLength(n)
	res.Perfect = p.TP * float64(len(windows))

	spans := toSpans(times, windows)
	best := make([]float64, len(spans))
	scored := make([]bool, len(spans))
	for k, s := range spans {
		best[k] = math.Inf(-1)
		scored[k] = s.right >= res.Probation
		if scored[k] {
			res.Windows++
		}
	}

	maxTP := ScaledSigmoid(-1)
	for i := res.Probation; i < n; i++ {
		if !detected[i] {
			continue
		}
		res.Detections++

		// k is the last window starting at or before i: i is in it, or
		// after it (the closest preceding window), or before every window.
		k := sort.Search(len(spans), func(j int) bool { return spans[j].left > i }) - 1
		switch {
		case k >= 0 && i <= spans[k].right:
			s := spans[k]
			pos := -float64(s.right-i+1) / float64(s.width())
			best[k] = max(best[k], ScaledSigmoid(pos)*p.TP/maxTP)
		case k >= 0:
			res.FP++
			res.Raw += p.FP * ScaledSigmoid(pastWindow(spans[k], i))
		default:
			res.FP++
			res.Raw -= p.FP
		}
	}

	for k := range spans {
		if !scored[k] {
			continue
		}
		res.Null -= p.FN
		if math.IsInf(best[k], -1) {
			res.FN++
			res.Raw -= p.FN
			continue
		}
		res.TP++
		res.Raw += best[k]
	}
	return res
}

// pastWindow is NAB's relative position of row i after window s: the rows
// since its last row over its width less one. A window of one row would
// divide by zero in NAB; two widths past it is what NAB's older scorer used.
func pastWindow(s span, i int) float64 {
	if s.width() <= 1 {
		return 2
	}
	return float64(i-s.right) / float64(s.width()-1)
}

// toSpans turns windows into row spans: from the first row at or after the
// start to the last row at or before the end. A window that holds no row
// is dropped (it cannot be detected nor scored, but still counts towards
// Perfect, as in NAB's runner).
func toSpans(times []time.Time, windows []Window) []span {
	out := make([]span, 0, len(windows))
	for _, w := range windows {
		left := sort.Search(len(times), func(i int) bool { return !times[i].Before(w.Start) })
		right := sort.Search(len(times), func(i int) bool { return times[i].After(w.End) }) - 1
		if left <= right {
			out = append(out, span{left: left, right: right})
		}
	}
	return out
}

// Normalised is NAB's normalised score, 100 × (raw - null) / (perfect -
// null): 0 for a detector that never fires, 100 for a perfect one. It is
// NaN when perfect equals null (no labelled window at all).
func Normalised(raw, null, perfect float64) float64 {
	if perfect == null {
		return math.NaN()
	}
	return 100 * (raw - null) / (perfect - null)
}
