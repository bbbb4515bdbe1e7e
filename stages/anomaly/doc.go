// Package anomaly is the anomaly stage: it scores each closed window of a
// host with an Isolation Forest fitted on that host's own history of
// windows, and types and explains the windows that stand out.
//
// # Pieces
//
//   - Fit and Forest (forest.go, fit.go): an Isolation Forest written for
//     this project (Liu, Ting and Zhou, 2008): seeded, reproducible, flat
//     node arrays, zero-allocation Score.
//   - Extract (features.go): seven features of a window (last, mean, std,
//     min, max, slope, z of the last value), written into the caller's
//     slice; the Detector adds two of the forecast's residual (resid, and
//     resid_z against the host's recent residuals; residual.go), fed by
//     Detector.ObserveForecast.
//   - Detector (detector.go): per-host history, fits and refits, scoring,
//     the kind rules (kinds.go), the explanation (explain.go) and event
//     grouping (event.go).
//   - Package nab: NAB's scoring rules, and Evaluate, which streams NAB-style
//     files through the windower, the forecast stage and this detector.
//
// # How a window is judged
//
// The forest sees the features through a monotone log map (space.go) that
// spreads the low end of CPU, where idle and stuck hosts live. A window is
// anomalous when its score reaches Config.Threshold and one of its levels or
// its std is at least Config.MinChange CPU points from the history's median;
// or, whatever its score, when it is flat on a host whose windows usually
// move (a stuck metric, which the forest sees poorly: see stuck in kinds.go).
// Only the first anomalous window of an event is reported; the event lasts
// until Config.Cooldown windows in a row are not anomalous (event.go).
// Kind is then flatline, spike, drop or idle by fixed rules on the features;
// Explanation lists up to three features furthest from the history in
// robust z-scores (median and MAD, in the forest's space), printing the raw
// values, e.g. "last=95.0 (z=4.1), std=10.1 (z=5.5)".
//
// # Memory per host
//
// With the defaults, a host that has filled its history holds:
//
//   - its history ring: HistorySize × NumFeatures × 8 = 1024 × 9 × 8 =
//     73,728 bytes;
//   - its forest: 16 bytes a node; measured 12,000-19,000 nodes for 100
//     trees of ψ = 256 (the height limit of 8 allows 511 per tree,
//     isolation stops most branches earlier), so about 0.2-0.3 MB;
//   - the robust statistics (144 bytes), counters, its residual and event
//     state (about 120 bytes), and two map entries.
//
// About 0.37 MB a host (BenchmarkDetectorScore logs the figure), so 1,000
// hosts need 350 MB and 1,000,000 hosts 350 GB: far beyond the 2 GB the
// product aims for. ScopeGroup keeps one history and one forest per group
// instead, which is what a large fleet has to use today. What would make
// per-host scope fit: fewer, shallower trees (Trees 25 and SampleSize 64
// cost about 1/16 of the nodes), float32 histories and split values, or a
// forest per group with per-host histories only. None of this is done yet.
//
// # Cost of fitting
//
// A fit of the default forest on a full history takes a few milliseconds
// (BenchmarkFit). A host refits as its history doubles from MinHistory to
// HistorySize and then every RefitEvery windows, so with the defaults a
// fit costs about 10-25 µs per scored window, amortised: of the order of
// the score itself. Fits happen inline, on the window that triggers them.
//
// # How it scores on NAB
//
// On the seven labelled NAB CPU files, with the defaults (threshold 0.62,
// cooldown 72, chosen on Bitbrains traces with injected faults, never on
// those files) and the pipeline's forecast stage, NAB's normalised scores
// are standard 32.3, reward_low_FP_rate 0.4, reward_low_FN_rate 43.7
// (TestEvaluateNABCPUFiles in package nab): 6 of 9 windows found, 53 false
// positives, none after probation on ec2_cpu_utilization_c6585a. The
// issue's target is 60, so this is not good enough yet. Without event
// grouping the same detector scores -665 (1,295 false positives).
//
// # Not done yet
//
//   - The NAB score above: most of the loss is false positives on the
//     auto-scaling-group file (37) and 77c1ca (11), and both windows of
//     53ea38 missed. Isolation Forest scores are compressed: a point beyond
//     the history's range is never split from the history's extreme, so a
//     four-step burst to 98 % on a smooth host scores only about 0.59. A
//     per-host bar (Config.HostQuantile) helped on training traces and hurt
//     on NAB, so it is off. The feature ablation (TestFeatureAblation in
//     package nab) says min, max, std and slope add little or harm; they
//     are kept until a selection is made on training data alone.
//   - The default forecast model was trained on the same seven NAB files
//     (unlabelled), so the residual features are optimistic there; without
//     forecasts the standard score is 35.3.
//   - Anomalous windows enter the history like any other, so a fault that
//     lasts longer than a refit period slowly becomes normal.
//   - No metrics or logs of its own: the pipeline's observing wrapper adds
//     the stage's counters and latency.
//
// # Concurrency
//
// Forest is immutable after Fit and safe for concurrent Score calls. A
// Detector is not safe for concurrent use; give each worker its own.
package anomaly
