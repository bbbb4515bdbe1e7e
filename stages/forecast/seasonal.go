package forecast

// DaySteps is one day at the 5-minute step of the NAB and Bitbrains traces:
// the default season of SeasonalNaive and HoltWinters.
const DaySteps = 288

// SeasonalNaive forecasts that each step repeats the step one season (a day
// by default) earlier: out[i] = history[n-Season+i mod Season]. It is safe
// for concurrent use.
type SeasonalNaive struct {
	H      int // horizon in steps
	Season int // season in steps; DaySteps when 0
}

// Name is "seasonal_naive".
func (SeasonalNaive) Name() string { return "seasonal_naive" }

// Horizon is s.H.
func (s SeasonalNaive) Horizon() int { return s.H }

// MinHistory is one season.
func (s SeasonalNaive) MinHistory() int { return s.season() }

func (s SeasonalNaive) season() int {
	if s.Season == 0 {
		return DaySteps
	}
	return s.Season
}

// Forecast writes the values one season before each forecast step; a
// horizon longer than the season repeats the last season again.
func (s SeasonalNaive) Forecast(history, out []float64) {
	checkHistory(s, history, out)
	m := s.season()
	base := len(history) - m
	for i := range out[:s.H] {
		out[i] = history[base+i%m]
	}
}
