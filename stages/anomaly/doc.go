// Package anomaly is the anomaly stage: it scores each closed window of a
// host with an Isolation Forest fitted on the recent windows of the host's
// group (by default) or of the host alone, and types and explains the
// windows that stand out.
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
//   - Detector (detector.go): per-group (or per-host) history, fits and
//     refits, scoring, the kind rules (kinds.go), the explanation
//     (explain.go), event grouping (event.go), and per host the score
//     likelihood that judges a host on a shared forest (likelihood.go).
//   - Package nab: NAB's scoring rules, and Evaluate, which streams NAB-style
//     files through the windower, the forecast stage and this detector.
//
// # How a window is judged
//
// The forest sees the features through a monotone log map (space.go) that
// spreads the low end of CPU, where idle and stuck hosts live. A window is
// anomalous when its score reaches the bar and one of its levels or its std
// is at least Config.MinChange CPU points from the history's median; or,
// whatever its score, when it is flat on a host whose windows usually move
// (a stuck metric, which the forest sees poorly: see stuck in kinds.go).
// The bar depends on whose forest it is. On a forest of the host's own
// (ScopeHost, or a group of one host) it is Config.Threshold. On a forest
// the host shares with others, raw scores say how far a window is from the
// group, not from the host's normal, so the bar is Config.SharedThreshold
// and a tail probability of at most Config.TailProb of the score under the
// host's own running score mean and variance (likelihood.go, after
// Numenta's AnomalyLikelihood).
//
// Only the first anomalous window of an event is reported; the event lasts
// until Config.Cooldown windows in a row are not anomalous (event.go).
// Kind is then flatline, spike, drop or idle by fixed rules on the features;
// Explanation lists up to three features furthest from the history in
// robust z-scores (median and MAD, in the forest's space), printing the raw
// values, e.g. "last=95.0 (z=4.1), std=10.1 (z=5.5)".
//
// # Memory per host
//
// In ScopeGroup, the default, a host holds only its hostMeta (64 bytes:
// two pending forecasts, its residual scale, score statistics and event
// state, in float32 and small integers), a map entry and its name:
// BenchmarkBytesPerHost measures 116 bytes a host over 200,000 hosts, so
// a million hosts need about 116 MB here. Each group holds a history ring
// (HistorySize × NumFeatures × 8 = 73,728 bytes) and a forest (16 bytes a
// node, 12,000-19,000 nodes for 100 trees of ψ = 256): about 0.2-0.37 MB a
// group (the benchmark's group_B), which is per group, not per host.
//
// In ScopeHost every host holds all of that: about 0.37 MB a host
// (BenchmarkBytesPerHost measures 372 KB), 370 GB for a million hosts. It
// suits fleets of thousands. Smaller per-host forests (Trees 25,
// SampleSize 64) and float32 histories would cut it by perhaps ten, still
// far above the product's 2 KB a host across stages; that is why the
// default is ScopeGroup.
//
// # Cost per window
//
// Scoring a window costs about 1.1 µs in a shared group of 1,000 hosts
// (BenchmarkDetectorScoreSharedGroup), 1.7 µs on a host's own forest
// (BenchmarkDetectorScore) and 1.8 µs with its forecast observed
// (BenchmarkDetectorScoreWithForecast), without allocating. A fit of the
// default forest takes about 1.4 ms (BenchmarkFit). A state (host or
// group) refits as its history doubles from MinHistory to HistorySize and
// then every RefitEvery windows, so fits add about 5 µs a window,
// amortised, more while a young history doubles. Fits happen inline, on
// the window that triggers them.
//
// # How it scores on NAB
//
// On the seven labelled NAB CPU files, with the defaults (threshold 0.65,
// cooldown 72, chosen on Bitbrains traces with injected faults, never on
// those files), the pipeline's forecast stage, and each file a host of its
// own group (so a forest of its own, as in ScopeHost), NAB's normalised
// scores are standard 29.8, reward_low_FP_rate -4.5, reward_low_FN_rate
// 42.1 (TestEvaluateNABCPUFiles in package nab): 6 of 9 windows found, 57
// false positives (43 on the auto-scaling-group file, 11 on 77c1ca), none
// after probation on ec2_cpu_utilization_c6585a. The target is
// 60: not met. On the training traces the same detector scores 58.7 (mean
// over four forest seeds); NAB's real anomalies and busy real hosts are
// harder than the injected faults.
//
// With the seven files as hosts of one group sharing a forest
// (EvalConfig.Shared, TestEvaluateNABCPUFilesOneGroup), which is what the
// default scope does to a fleet put in one group, the scores are standard
// 13.2, reward_low_FP_rate -54.2, reward_low_FN_rate 38.4: 8 of 9 windows
// found but 112 false positives, 21 of them after probation on c6585a.
// Seven unrelated hosts (an auto-scaling group, an RDS instance, EC2 hosts
// from idle to busy) are the worst case for a shared forest. On the
// training traces as 18 hosts of one group the standard score is 49.5
// (mean of four seeds), against 58.7 with a forest each; without the score
// likelihood (Threshold for all hosts) it is 36.4 at 0.62 and 32.5 at 0.65
// (TestChooseLikelihoodOnTraining).
//
// # Ablations
//
// Measured on the training traces only (package nab, with the forecast
// residuals, standard score, mean of four seeds unless said):
//
//   - Features (TestFeatureAblation), each left out of the forest in
//     turn, against 58.7 with all: std 54.7, z_last 53.7, resid_z 54.4,
//     slope 57.1 and both residual features 51.9 earn their place; min
//     (58.4) and resid (58.7) are neutral; without last, mean or max the
//     score rises to 60.1, 61.2 and 60.5, within about twice the seed
//     noise of a four-seed mean. All nine are kept until a selection is
//     confirmed on more training data.
//   - Threshold and Cooldown: see Config.Threshold and Config.Cooldown
//     (0.62 → 0.65 is +5.5). RefitEvery 144 or 576, HistorySize 512 or
//     2048, SampleSize 128: 55.6-58.1, none above the defaults.
//   - The score likelihood on a forest of the host's own: no gain (one
//     seed, with a switch since removed: 56.1 without, 56.3 at best with
//     it), so it applies to shared forests only; on a shared forest it is
//     +13 (36.4 → 49.5).
//   - The forecast residual as its own detector, besides the forest
//     (threshold 0.62, measured with a switch since removed): flagging any
//     window whose |resid_z| reaches 6, 10 or 20 scored 52.7, 53.5 and
//     53.2 against 53.2; requiring |resid_z| of 1, 2 or 3 for a forest
//     flag, 52.8, 53.8 and 54.1. Not kept: within the noise.
//   - A short mean of the scores (ShortSpan 3, as Numenta averages 10):
//     40.8 against 49.5 in one group.
//   - Host-relative features on a shared forest (levels and std as log
//     ratios to a running per-host baseline; one seed, code not kept): 31.9 against 35.2
//     without the likelihood, 38.9 against 40.3 with it. Not kept.
//   - Admitting a window into the group's history with probability
//     1/hosts, so that the ring spans days rather than minutes of a large
//     group (one seed, code not kept): 22.2 against 35.2, 31.4 against 40.3. Not kept:
//     recency matters more than span here.
//   - Without event grouping (Cooldown -1) the per-file detector scored
//     -665 on NAB (1,295 false positives) in an earlier version.
//
// # Not done yet
//
//   - The NAB score above, per file and shared. Per file most of the loss
//     is false positives on the auto-scaling-group file and 77c1ca, and
//     both windows of 53ea38 missed. Isolation Forest scores are
//     compressed: a point beyond the history's range is never split from
//     the history's extreme, so a four-step burst to 98 % on a smooth host
//     scores only about 0.59, and at the default 0.65 some plain one-step
//     spikes and a 100-step idle stretch of the unit tests' synthetic host
//     are missed. A per-host bar (Config.HostQuantile) helped on training
//     traces and hurt on NAB, so it is off.
//   - In ScopeGroup the history is the group's last HistorySize windows:
//     for a group of thousands of hosts, less than one step of each, so
//     the forest knows the fleet now, not its daily cycle; refits come
//     every RefitEvery windows of the group; a host new to a fitted group
//     is scored at once but can be flagged only after ScoreWarmup windows
//     of its own. Groups should hold hosts that run alike.
//   - The training set is 18 Bitbrains traces with 36 synthetic faults;
//     forest seeds alone move its score by about ±3 points, which is why
//     sweeps average four seeds. The other traces in the shared data
//     (Azure, Google, PlanetLab) are not used yet.
//   - The default forecast model was trained on the same seven NAB files
//     (unlabelled), so the residual features are optimistic there.
//   - Anomalous windows enter the history like any other, so a fault that
//     lasts longer than a refit period slowly becomes normal. (They are
//     kept out of a host's score statistics.)
//   - A Detector never forgets a host: per-host state lives until the
//     process ends, so a fleet with churn grows it (116 bytes a host ever
//     seen). A group counts a host as sharing its forest from its first
//     window on, forever, and a host that moves to another group is not
//     counted there; both only change which bar applies.
//   - No metrics or logs of its own: the pipeline's observing wrapper adds
//     the stage's counters and latency.
//
// # Concurrency
//
// Forest is immutable after Fit and safe for concurrent Score calls. A
// Detector is not safe for concurrent use; give each worker its own.
package anomaly
