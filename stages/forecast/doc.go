// Package forecast is the forecast stage: for every closed window of a host
// it predicts the host's CPU percent for the next Horizon steps.
//
// # Model
//
// An LSTM reads the last InputSize (24) aligned steps of a host, oldest
// first, and a dense layer on its last hidden state gives all Horizon (12
// by default) forecasts in one pass. Each window is normalised on its own:
// every step becomes two features, (x - last) / s and x / 100, where last
// is the window's newest value. Outputs are deltas from last in the same
// units, so a forecast is last + s*y, clipped to [0, max(100, window
// max)]. The delta scale s is a fixed 10 % ("last_value_delta", the
// default model) or the window's own mean step change, floored at 0.05 %
// ("window_scaled_delta"; see Normalisation). Anchoring on the last value
// was chosen because it trains best here: "no change" is an output of 0,
// so an untrained head already forecasts the last-value baseline and
// training only learns corrections; the level feature keeps what the
// subtraction throws away (a host near 0 % cannot drop much). Dividing by
// a window's mean or range was not used because flat windows would divide
// by ~0; the window-scaled kind divides by the step change with a floor.
//
// # Baselines and evaluation
//
// LastValue, SeasonalNaive (a day earlier) and HoltWinters (additive,
// daily season, fitted by FitHoltWinters) are SeriesForecasters: they
// forecast from a host's whole history. EvaluateSeries scores any of them
// (and the LSTM through Windowed) by rolling-origin evaluation over the
// last 20 % of a series, in MAE and MASE; EvalReport is the stable JSON
// of "scalora eval forecast". Only LastValue serves live as the fallback
// (see SeriesForecaster for why).
//
// Training (Train, graph.go) uses gorgonia: a TapeMachine over a graph of
// a fixed batch, MSE (default) or MAE on the normalised outputs, Adam,
// early stopping on a time-based validation split. Inference (Predictor, predict.go) is a
// separate pure-Go forward pass over the same weights, which is far faster
// than gorgonia's graph per window and does not allocate; a test checks
// the two agree within 1e-4. Its gate nonlinearities use a tabulated tanh
// (fastmath.go, error below 1e-9); PredictBatch and Stage.ForecastBatch
// take all hosts of a tick at once.
//
// # Default model
//
// DefaultModel is trained on the seven NAB CPU traces bundled in
// cmd/scalora/traces (5-minute steps). The pipeline's windows default to a
// 1-minute step; the model is applied to them as is, which is an
// approximation for now (see DefaultModel).
//
// # Concurrency
//
// A loaded Model is immutable: Model.Predict and PredictBatch may be called
// from many goroutines (they borrow scratch from a pool). A Predictor and a
// Stage own scratch and serve one goroutine at a time.
package forecast
