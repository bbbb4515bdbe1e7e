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
//     min, max, slope, z of the last value), written into the caller's slice.
//   - Detector (detector.go): per-host history, fits and refits, scoring,
//     the kind rules (kinds.go) and the explanation (explain.go).
//
// # How a window is judged
//
// The forest sees the features through a monotone log map (space.go) that
// spreads the low end of CPU, where idle and stuck hosts live. A window is
// anomalous when its score reaches Config.Threshold and one of its levels or
// its std is at least Config.MinChange CPU points from the history's median;
// or, whatever its score, when it is flat on a host whose windows usually
// move (a stuck metric, which the forest sees poorly: see stuck in kinds.go).
// Kind is then flatline, spike, drop or idle by fixed rules on the features;
// Explanation lists up to three features furthest from the history in
// robust z-scores (median and MAD, in the forest's space), printing the raw
// values, e.g. "last=95.0 (z=4.1), std=10.1 (z=5.5)".
//
// # Memory per host
//
// With the defaults, a host that has filled its history holds:
//
//   - its history ring: HistorySize × NumFeatures × 8 = 1024 × 7 × 8 =
//     57,344 bytes;
//   - its forest: 16 bytes a node; measured 12,000-19,000 nodes for 100
//     trees of ψ = 256 on 7 features (the height limit of 8 allows 511 per
//     tree, isolation stops most branches earlier), so about 0.2-0.3 MB;
//   - the robust statistics (112 bytes), counters, and a map entry.
//
// About 0.35 MB a host (BenchmarkDetectorScore logs the figure), so 1,000
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
// # Not done yet
//
//   - Features of the forecast's residual (what the forecast stage
//     predicted for this step against what came) are not used; they come in
//     a later change as more features.
//   - A spike stays in the window for 23 more steps, and those windows
//     often stay anomalous too (typed spike by their max): one fault gives a
//     run of records, not one event. Grouping runs into events is not done.
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
