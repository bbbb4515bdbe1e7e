package forecast

import (
	"fmt"
	"slices"
)

// EvalReportSchema names the layout of EvalReport; it changes only when a
// field is renamed or removed (adding a field keeps it).
const EvalReportSchema = "scalora.eval.forecast/v1"

// EvalReport is the result of `scalora eval forecast`, and its JSON output.
// Its layout is stable (see EvalReportSchema):
//
//	{
//	  "schema": "scalora.eval.forecast/v1",
//	  "horizons": [1, 6, 12],          // steps; every mae/mase array follows this order
//	  "test_fraction": 0.2,            // scored tail of each series
//	  "step_seconds": 300,             // step the traces were aligned to
//	  "season": 288,                   // steps per season of the seasonal baselines
//	  "lstm": "lstm-h32-v1 (default model)", // which LSTM was scored, and how it was obtained
//	  "series": [ SeriesEval... ],     // one per file, in the order given
//	  "by_format": [ {"format": "bitbrains", "series": 18, "average": [ModelScore...]}, ... ],
//	  "average": [ ModelScore... ]     // over all series
//	}
//
// A ModelScore is {"model", "mae": [...], "mase": [...] or null}; models
// appear in the same order everywhere.
type EvalReport struct {
	Schema       string          `json:"schema"`
	Horizons     []int           `json:"horizons"`
	TestFraction float64         `json:"test_fraction"`
	StepSeconds  int64           `json:"step_seconds"`
	Season       int             `json:"season"`
	LSTM         string          `json:"lstm"`
	Series       []SeriesEval    `json:"series"`
	ByFormat     []FormatAverage `json:"by_format"`
	Average      []ModelScore    `json:"average"`
}

// FormatAverage averages the series of one trace format (one dataset).
type FormatAverage struct {
	Format  string       `json:"format"`
	Series  int          `json:"series"`
	Average []ModelScore `json:"average"`
}

// Summarise fills r.ByFormat and r.Average from r.Series; formats are listed
// in order of first appearance.
func (r *EvalReport) Summarise() error {
	avg, err := AverageScores(r.Series)
	if err != nil {
		return fmt.Errorf("summarise: %w", err)
	}
	r.Average = avg

	r.ByFormat = nil
	var formats []string
	for _, s := range r.Series {
		if !slices.Contains(formats, s.Format) {
			formats = append(formats, s.Format)
		}
	}
	for _, f := range formats {
		var group []SeriesEval
		for _, s := range r.Series {
			if s.Format == f {
				group = append(group, s)
			}
		}
		a, err := AverageScores(group)
		if err != nil {
			return fmt.Errorf("summarise %s: %w", f, err)
		}
		r.ByFormat = append(r.ByFormat, FormatAverage{Format: f, Series: len(group), Average: a})
	}
	return nil
}
