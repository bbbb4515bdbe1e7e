package forecast

import (
	"fmt"
	"math"
)

// HoltWinters is additive Holt-Winters (level, trend and a seasonal term of
// Season steps, a day by default) with fixed smoothing parameters; get
// fitted ones from FitHoltWinters. The update after observing y_t is
//
//	level_t  = Alpha*(y_t - s_{t-m}) + (1-Alpha)*(level_{t-1} + trend_{t-1})
//	trend_t  = Beta*(level_t - level_{t-1}) + (1-Beta)*trend_{t-1}
//	s_t      = Gamma*(y_t - level_t) + (1-Gamma)*s_{t-m}
//
// and the forecast h steps ahead is level_t + h*trend_t + s_{t+h-m}, floored
// at 0 (CPU cannot be negative).
//
// The state starts from the first two seasons of the history: the level is
// the first season's mean, the trend the change of mean between the two
// seasons per step, and each seasonal term the mean over both seasons of the
// step's distance from its season's mean; the filter then runs over the
// whole history from its first step.
//
// Forecast re-runs the filter over the whole history on every call (O(len
// history), one small allocation), which suits offline evaluation; a live
// fallback would keep the running state per host instead (not done yet).
// It is safe for concurrent use.
type HoltWinters struct {
	Alpha, Beta, Gamma float64 // smoothing of level, trend, season; each in [0, 1]
	Season             int     // steps per season; DaySteps when 0
	H                  int     // horizon in steps
}

// Name is "holt_winters".
func (*HoltWinters) Name() string { return "holt_winters" }

// Horizon is hw.H.
func (hw *HoltWinters) Horizon() int { return hw.H }

// MinHistory is two seasons, the initialisation.
func (hw *HoltWinters) MinHistory() int { return 2 * hw.season() }

func (hw *HoltWinters) season() int {
	if hw.Season == 0 {
		return DaySteps
	}
	return hw.Season
}

// Forecast runs the filter over history and writes the next H steps.
func (hw *HoltWinters) Forecast(history, out []float64) {
	checkHistory(hw, history, out)
	st := hw.newState(history)
	for _, y := range history {
		st.update(hw, y)
	}
	st.forecast(out[:hw.H])
}

// SSE is the sum of squared one-step errors over history after the two
// initialisation seasons: the loss FitHoltWinters minimises.
func (hw *HoltWinters) SSE(history []float64) float64 {
	st := hw.newState(history)
	var sse float64
	for t, y := range history {
		if t >= 2*st.m {
			e := y - (st.level + st.trend + st.season[st.t%st.m])
			sse += e * e
		}
		st.update(hw, y)
	}
	return sse
}

// hwState is the filter's running state after t observations; season[i]
// is the seasonal term of steps congruent to i modulo m.
type hwState struct {
	level, trend float64
	season       []float64
	m, t         int
}

// newState initialises from the first two seasons of history, which must
// hold at least 2*season steps.
func (hw *HoltWinters) newState(history []float64) *hwState {
	m := hw.season()
	mean1, mean2 := mean(history[:m]), mean(history[m:2*m])
	st := &hwState{level: mean1, trend: (mean2 - mean1) / float64(m), season: make([]float64, m), m: m}
	for i := range m {
		st.season[i] = ((history[i] - mean1) + (history[m+i] - mean2)) / 2
	}
	return st
}

func (st *hwState) update(hw *HoltWinters, y float64) {
	i := st.t % st.m
	prev := st.level
	st.level = hw.Alpha*(y-st.season[i]) + (1-hw.Alpha)*(st.level+st.trend)
	st.trend = hw.Beta*(st.level-prev) + (1-hw.Beta)*st.trend
	st.season[i] = hw.Gamma*(y-st.level) + (1-hw.Gamma)*st.season[i]
	st.t++
}

func (st *hwState) forecast(out []float64) {
	for h := range out {
		v := st.level + float64(h+1)*st.trend + st.season[(st.t+h)%st.m]
		out[h] = max(v, 0)
	}
}

func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// hwGrid is the coarse grid FitHoltWinters starts from, per parameter.
var hwGrid = [3][]float64{
	{0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 0.9}, // alpha
	{0, 0.005, 0.02, 0.05, 0.1, 0.2},            // beta
	{0, 0.02, 0.05, 0.1, 0.2, 0.4},              // gamma
}

// FitHoltWinters chooses Alpha, Beta and Gamma for train (CPU percent at a
// fixed step, oldest first) by minimising the one-step SSE (see SSE): the
// best point of a coarse grid (hwGrid, 288 combinations), then a
// coordinate search that tries each parameter one step up and down, halving
// the step when nothing improves, until the step is below 0.001; all three
// stay in [0, 1]. It is deterministic and takes a few hundred SSE passes
// over train. It fails when train is shorter than three seasons (two to
// initialise, one to score).
func FitHoltWinters(train []float64, season, horizon int) (*HoltWinters, error) {
	hw := &HoltWinters{Season: season, H: horizon}
	m := hw.season()
	if len(train) < 3*m {
		return nil, fmt.Errorf("fit holt-winters: %w: %d steps, need %d (three seasons)", ErrNoData, len(train), 3*m)
	}

	loss := func(p [3]float64) float64 {
		c := HoltWinters{Alpha: p[0], Beta: p[1], Gamma: p[2], Season: m}
		if v := c.SSE(train); !math.IsNaN(v) {
			return v
		}
		return math.Inf(1)
	}

	var best [3]float64
	bestLoss := math.Inf(1)
	for _, a := range hwGrid[0] {
		for _, b := range hwGrid[1] {
			for _, g := range hwGrid[2] {
				p := [3]float64{a, b, g}
				if l := loss(p); l < bestLoss {
					best, bestLoss = p, l
				}
			}
		}
	}

	for step := 0.05; step >= 0.001; {
		improved := false
		for k := range best {
			for _, d := range []float64{step, -step} {
				p := best
				p[k] = min(max(p[k]+d, 0), 1)
				if l := loss(p); l < bestLoss {
					best, bestLoss, improved = p, l, true
				}
			}
		}
		if !improved {
			step /= 2
		}
	}

	hw.Alpha, hw.Beta, hw.Gamma = best[0], best[1], best[2]
	return hw, nil
}
