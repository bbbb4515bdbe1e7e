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
// max)]. The delta scale s is a fixed 10 % ("last_value_delta") or the
// window's own mean step change, floored at 0.05 % ("window_scaled_delta",
// the default model's; see Normalisation). Anchoring on the last value
// was chosen because it trains best here: "no change" is an output of 0,
// so an untrained head already forecasts the last-value baseline and
// training only learns corrections; the level feature keeps what the
// subtraction throws away (a host near 0 % cannot drop much). Dividing by
// a window's mean or range was not used because flat windows would divide
// by ~0; the window-scaled kind divides by the step change with a floor.
//
// Optional per-step inputs (features.go) may follow the two base ones:
// the time of day as sin and cos (time_of_day_sin, time_of_day_cos), the
// value a day before the step Horizon ahead (day_ago_ahead) and an
// exponentially smoothed level over 4 hours (smoothed_level). A model
// records the ones it reads in Architecture.Features (and the day length
// in Architecture.Season), so model files carry them; such models run
// through PredictAt, which takes the host's history and the time of its
// last step (Timed is the SeriesForecaster for evaluation). None of them
// is used by DefaultModel: none helped on a validation split (see
// Accuracy). The two that read beyond the window (day_ago_ahead needs
// Season-Horizon+InputSize = 300 steps, 2.4 kB of float64 per host at
// 5-minute steps, 1452 steps or 11.6 kB at 1-minute ones;
// smoothed_level 216 steps as written, one float64 per host if the stage
// kept a running level) cannot serve live: NewStage refuses them, because the window stage keeps only
// InputSize steps per host. NewStage refuses time-of-day models too: the
// stage does not pass the step time to the model yet.
//
// # Blending per host
//
// The Stage does not serve the model's forecast as it is: per host and
// horizon it keeps the share of the model's correction to the last value
// (none, half, all or one and a half of it) whose decayed absolute error
// was least on the host's recent steps (blend.go; Config.Blend, on by
// default).
// Records then name the model with BlendSuffix, e.g. "lstm-h32-v1+blend",
// and carry the model's own values in ModelValues, from which decisions
// size capacity (see schemas.Forecast) and the anomaly stage takes its
// residuals. Blended is the same over a whole series, for evaluation. A
// host's blend starts from the model's own forecast; it travels with the
// host's window state across restarts and partition moves (SnapshotHost,
// RestoreHost); it costs about 470 bytes per
// host and 0.2 µs per forecast (BenchmarkStageForecast: 11.4 µs against
// 11.2 µs with Blend off, on a loaded 2-core host, with five shares).
//
// Why: DefaultModel is trained on seven NAB traces, the only ones that may
// ship, and what it learnt there does not carry over to every workload: on
// the Bitbrains VMs it was worse than last value at every horizon (see
// Accuracy). The blend lets each host fall back towards last value where
// the model's corrections do not pay, horizon by horizon, and keep them
// where they do. For capacity, though, a share chosen by absolute error is
// a median: it damps the rises the model sees coming. With decisions sized
// from the blended values the Bitbrains simulation (stages/simulate,
// TestAcceptanceOnSharedTraces, with the shares above) ran 2.3 % fewer
// instance-hours (81,630) but had 951 steps under-provisioned instead of
// 748 (VM 237 went from 0.98 % to 1.99 %), more than the reactive
// policy's 762; sized from the model's own values they are unchanged
// (83,587 instance-hours, 748 steps; NAB 24,718 and 89). Sizing from the
// larger of the two gave almost the same (83,567 and 748; NAB 24,719 and
// 89): a forecast below the current demand never decides, since the
// decision takes the larger of predicted and current demand, and only
// the share 3/2 lifts a forecast above the model's.
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
// a fixed batch, MSE or MAE (default) on the normalised outputs, Adam,
// early stopping on a time-based validation split.
//
// # Inference
//
// Inference (Predictor, predict.go) is a separate forward pass over the
// same weights, packed as one (2+Hidden) x 4*Hidden matrix so that a step
// is one matrix-vector product and one cell update (kernel.go). On amd64
// CPUs with AVX2 and FMA3 both run in assembly (kernel_amd64.s), with the
// gate nonlinearities computed four units at a time from a polynomial
// exp; elsewhere (or with the purego build tag) in Go, with gonum's Dgemv
// and a tabulated tanh (fastmath.go). Tests check each against gorgonia's graph
// within 1e-4 and against math.Exp/math.Tanh within 1e-7 on the outputs.
// PredictBatch and Stage.ForecastBatch take all hosts of a tick at once;
// Stage.ForecastBatchInto reuses the previous tick's records.
//
// Measured at hidden 32, horizon 12, on one core of a shared 2-core AMD
// EPYC (go test -run x -bench . -benchmem -count 6, medians; cpu-ns is
// the CPU time of the benchmark's own thread):
//
//	benchmark               per forecast (cpu-ns)  allocs  before (gonum Dgemv, Go tanh)
//	Predict                 7.0 µs                 0       26.6 µs
//	PredictBatch64          7.0 µs                 0       26.4 µs
//	StageForecastBatch64    7.1 µs                 0       (new; ForecastBatchInto)
//	GorgoniaForward         949 µs wall, batch 1   11 292  992 µs
//
// With the purego tag (the pure-Go kernels) Predict costs 26.6 µs, as
// before. The forward pass now builds each window's inputs in a scratch
// matrix first (features.go): on a loaded host on 2026-12-04, Predict
// measured 12.8-16.9 µs against 12.4-17.3 µs for the code before that
// change, interleaved runs, so no difference was measurable there (the
// table above was measured on a quiet host); PredictAt with every
// optional feature cost 19.6-21.9 µs, allocation-free. On another
// machine of the same class on the same day, quieter, Predict took
// 14.4 µs of CPU and GorgoniaForward 2.6 ms: these shared machines differ
// by about two, so compare figures from one run only. Stage.Forecast
// still allocates its record's Values (96 B); the batch path with ForecastBatchInto does not. A kernel for many windows
// at once was not written (see PredictBatch).
//
// # Default model
//
// DefaultModel is trained on the seven NAB CPU traces bundled in
// cmd/scalora/traces (5-minute steps). The pipeline's windows default to a
// 1-minute step; the model is applied to them as is, which is an
// approximation for now (see DefaultModel).
//
// # Accuracy
//
// Mean MASE over the traces (lower is better) and the LSTM's gain over the
// best baseline at each horizon (1 - LSTM / best), 5-minute steps, last
// 20 % of each trace scored, from "scalora eval forecast --data ...":
// NAB is the seven NAB CPU traces (realAWSCloudwatch and
// cpu_utilization_asg_misconfiguration), Bitbrains the 18 VM-months of
// the Bitbrains Rnd trace (6 VMs x 3 months). DefaultModel rows score the
// bundled model (--model for the variant); --train-in-sample rows train
// one LSTM per dataset on the first 80 % of its traces (--train-stride,
// --epochs as shown, seed 1) and score that.
//
//	                                  NAB h1/h6/h12          Bitbrains h1/h6/h12
//	last_value                        1.344 1.479 1.258      0.819 1.516 2.019
//	seasonal_naive                    1.796 1.782 1.762      4.720 4.717 4.723
//	holt_winters                      0.973 1.337 1.331      1.241 2.766 3.692
//	DefaultModel (NAB, <=20 epochs)   0.912 1.011 1.082      0.882 1.953 2.189
//	  gain                            +6%  +24%  +14%       -8%  -29%   -8%
//	same, <=60 epochs (kept 23)       0.915 1.015 1.075      0.905 1.915 2.251
//	--train-in-sample, stride 2, <=20 0.990 1.070 1.175      0.694 1.197 1.462 (<=30)
//	  gain                            -2%  +20%   +7%      +15%  +21%  +28%
//	--train-in-sample, stride 1, <=20 0.920 0.974 1.122      0.688 1.152 1.412
//	  gain                            +5%  +27%  +11%      +16%  +24%  +30%
//	  same, seed 2                    0.989 1.019 1.133
//	--train-in-sample, stride 1, <=60 0.914 1.017 1.072
//	  gain                            +6%  +24%  +15%
//	--train-in-sample, stride 2, <=15 1.016 1.078 1.170      0.703 1.200 1.462
//	  gain                            -4%  +19%   +7%      +14%  +21%  +28%
//	  same, mean of 3 seeds (1..3)    1.026 1.049 1.156      0.694 1.207 1.463
//	  gain                            -5%  +22%   +8%      +15%  +20%  +28%
//	  one model for both datasets     0.990 1.156 1.155      0.696 1.190 1.462
//	  gain                            -2%  +14%   +8%      +15%  +22%  +28%
//
// The last three pairs of rows were measured on 2026-12-04 with "scalora
// eval forecast --data <traces> --train-in-sample --epochs 15
// --train-stride 2 [--ensemble 3]", one command per dataset, or one
// command with both datasets' traces for the joint model (one LSTM
// trained on the first 80 % of all 25 traces, 6 min 51 s including the
// evaluation). Training took 1.5-2 min per NAB model and 4-7 min per
// Bitbrains model on the shared, loaded host.
//
// The optional features and the ensemble were chosen between on a
// validation split, not on the tails: "--validate" drops each trace's
// scored tail, trains on the first 64 % and scores 64-80 %. NAB, 15
// epochs, stride 2, seed 1, mean MASE:
//
//	                                  h1    h6    h12
//	last_value                        1.027 1.215 1.031
//	holt_winters                      1.155 1.508 1.558
//	LSTM, delta_last and level        0.854 0.916 0.981
//	  + time of day (sin, cos)        0.840 0.917 0.981
//	  + day_ago_ahead                 0.919 1.123 1.027
//	  + smoothed_level                0.936 0.982 1.009
//	  mean of 3 seeds                 0.849 0.894 0.980
//	  <=40 epochs (kept 28)           0.846 0.905 0.988
//
// The time of day and 40 epochs move the scores by less than a seed does;
// the value a day earlier and the smoothed level make them worse (NAB
// series are only two weeks long, and their days repeat poorly: seasonal
// naive is the worst baseline); the ensemble of three gains 0-2 %. On the
// validation split the LSTM clears 10 % at horizons 1 and 6 but not at 12
// (5 %), while on the tails horizon 1 is the failure: the tails differ
// from the validation split, Holt-Winters being the best one-step
// baseline there (0.973) and the worst on the validation split (1.155).
// Per trace, the LSTM loses at one step on ec2_..._77c1ca (1.70 against
// 1.22 for last value), rds_..._cc0c53 (1.76 against 1.54 for
// Holt-Winters), ec2_..._53ea38 and asg_misconfiguration.
//
// The blend, on the same tails (eval forecast runs the blended model
// first, named "+blend"), with the shipped DefaultModel; Azure is the
// whole-fleet average CPU of Azure V1 (30 days, divided by its maximum),
// Google nine tasks of one Google 2019 job (average CPU divided by each
// task's maximum), neither trained on, converted to NAB-style CSV for the
// check:
//
//	                     NAB h1/h6/h12      Bitbrains h1/h6/h12   Azure h1/h6/h12     Google h1/h6/h12
//	model alone          0.912 1.011 1.082  0.882 1.953 2.189     1.417 2.579 2.962   1.702 3.252 3.578
//	blended              0.908 0.955 1.009  0.739 1.337 1.921     1.041 1.808 2.539   1.256 2.264 3.143
//	best baseline        0.973 1.337 1.258  0.819 1.516 2.019     0.797 1.738 1.807   1.249 2.227 3.099
//	gain of the blend    +7%  +29%  +20%   +9.8% +12%   +5%      -31%  -4%  -41%     -1%   -2%   -1%
//
// (best baselines: Holt-Winters at NAB h1 and on Azure, last value
// elsewhere). The blend reaches or nears last value wherever the model
// alone loses to it, and adds to the model's gain on NAB; it cannot reach
// Holt-Winters on Azure's smooth daily fleet curve, which neither the
// model nor last value follows.
//
// Blending a model trained in-sample (--train-in-sample --epochs 15
// --train-stride 2, seed 1, one model per dataset; eval forecast scores
// the blended row too): NAB 0.949 0.996 1.084 against 1.016 1.078 1.170
// for the model alone (+2 / +26 / +14 % over the best baseline), Bitbrains
// 0.678 1.165 1.446 against 0.703 1.200 1.462 (+17 / +23 / +28 %). So on
// Bitbrains the target holds at every horizon; on NAB the shipped model,
// blended, is the best there is at horizon 1 (+7 %), short of 10 %.
//
// The blend's design was chosen on the validation split (64-80 % of each
// trace, DefaultModel, so NAB's split lies in its training data and
// Bitbrains' tells most), mean MASE at h1/h6/h12, NAB then Bitbrains:
//
//	shares 0, 1/4, 1/2, 3/4, 1           0.643 0.745 0.862   0.926 2.021 2.862
//	shares 0, 1/2, 1, 3/2 (kept)         0.645 0.751 0.825   0.924 2.022 2.805
//	shares 0 to 3/2 in quarters          0.646 0.746 0.821   0.926 2.017 2.798
//	one least-squares share              0.653 0.763 0.862   0.930 2.048 2.905
//
// (the kept row as "scalora eval forecast --validate" prints it, with the
// clamp of blended(); the others from the unclamped prototype, which gives
// the kept row as 0.645 0.745 0.823 and 0.924 2.029 2.800). Shares above 1
// help at h12, where the model is too timid; the seven-share grid ties the
// four-share one and costs 144 more bytes a host. Decays 0.98, 0.99,
// 0.995, 0.998 gave 0.918-0.932 at h1 and 1.992-2.068 at h6 on Bitbrains
// (five shares), 0.995 being in the middle. A second input pulling
// towards the window's mean (two weights fitted jointly) was worse on
// the tails of every dataset (Bitbrains 0.751 1.519 1.949) and was
// dropped; so were candidates forecasting the mean of the last 3, 6 or
// 24 steps beside the shares, which helped Bitbrains at h1 (0.904 with
// all three) but cost h12 (2.984).
//
// Shortcomings, in plain words. The acceptance target (MASE at least 10 %
// below the best baseline at horizons 1, 6 and 12 on both datasets) is
// not met. DefaultModel, trained on NAB only (the only traces that may be
// shipped), beats the baselines on NAB at horizons 6 and 12 but only by
// 6 % at horizon 1, where Holt-Winters is close, and alone it is worse
// than last value on Bitbrains at every horizon: what it learnt on NAB
// does not transfer. Blended it beats them on both, by 7 % at NAB's
// horizon 1 and by 9.8, 12 and 5 % on Bitbrains: still short of 10 % at
// three of the six. Its NAB scores are also flattered: the NAB tails it is scored
// on were its validation split, which chose the epoch. A model trained on
// the first 80 % of the Bitbrains traces (--train-in-sample; not
// shippable) clears 10 % there at every horizon. On NAB, training on
// every window (stride 1, as DefaultTrainConfig does) instead of every
// second one moved horizon 1 from -2 % to +5..6 % with seed 1, but
// another seed alone moves NAB's horizon-1 MASE by 7 % (0.920 against
// 0.989), so differences of that size between single runs here are
// noise. Averaging three seeds' forecasts did not change that (NAB
// horizon 1 1.026 against 1.016 for seed 1 alone) and would triple the
// inference cost, so it is not shipped. Weighting each horizon's loss
// by the inverse of its last-value error was tried (NAB, stride 2: 1.020
// 1.130 1.187) and dropped. The optional features of features.go (time
// of day, the value a day earlier, a smoothed level) did not help on the
// validation split above and are not used by DefaultModel.
//
// # Concurrency
//
// A loaded Model is immutable: Model.Predict and PredictBatch may be called
// from many goroutines (they borrow scratch from a pool). A Predictor and a
// Stage own scratch and serve one goroutine at a time.
package forecast
