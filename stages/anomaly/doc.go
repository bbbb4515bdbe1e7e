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
// Two options, off by default, change that: Config.Persist (report only
// the Persist-th anomalous window in a row) and Config.Rearm (count a
// window towards the cooldown only if it also scores under Rearm).
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
// (BenchmarkDetectorScoreSharedGroup), 1.6 µs on a host's own forest
// (BenchmarkDetectorScore) and 2.0 µs with its forecast observed
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
// 60: not met. The residual features read the forecast model's own
// one-step forecast, not the forecast stage's per-host blend of it (see
// Detector.ObserveForecast for why); with the blended one these scores
// were 28.5, -7.2 and 41.2. On the training traces the same detector
// scores 58.7 (mean over four forest seeds); NAB's real anomalies and busy
// real hosts are harder than the injected faults. A second attempt (event
// suppression, short-span features, a residual likelihood; see Ablations)
// found nothing that beats these defaults on the training traces, so they
// and the NAB figures are unchanged.
//
// A third attempt chose on real labelled data that is not the CPU files:
// four NAB files that are not CPU utilisation (ec2_network_in_257a54,
// elb_request_count_8c0756, grok_asg_anomaly,
// ec2_request_latency_system_failure; 9 windows), each normalised onto
// 0-100 as NAB hands detectors their input range (eval anomaly
// --normalise; TestChooseOnNABTraining in package nab, which reads them
// from SCALORA_NAB_TRAIN since they are not ours to redistribute). The
// defaults score 59.7 there; Cooldown 48 with MinChange 10 scored 84.0.
// Run once on the seven CPU files, that pair scored 12.4 / -29.0 / 26.8
// (5 of 9 windows, 69 false positives): the shorter cooldown re-reports
// the auto-scaling group's regime changes and 77c1ca's bursts, and the
// 10-point floor loses 24ae8d's window. It was not adopted (see
// Config.Cooldown): nine windows are too few to choose on, and that
// decision was taken after seeing the CPU-file scores.
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
//   - On the NAB corpus above (defaults 59.7; one window found or missed
//     moves the score by about ten points): Persist 2 and 3, 46.9 and
//     33.0; Rearm 0.55 and 0.60, 50.1 and 63.7; RefitEvery 72, 144 and
//     576, 64.8, 63.2 and 60.7; HistorySize 512 and 2048, 57.8 and 61.2;
//     SampleSize 128, 65.1; each feature left out in turn, 59.6-66.6,
//     within what the trees' random draws alone move. None kept.
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
//   - Where the false positives fall (TestChooseEventOnTraining, seed 0):
//     of 102 on the training traces, 38 come within two days after the
//     end of a labelled window (the aftermath of a fault already
//     reported), 64 elsewhere, on 15 of the 18 traces: presumably the
//     VMs' own bursts, which are not labelled. On NAB, 43 of 57
//     are on the auto-scaling-group file and 11 on 77c1ca.
//   - Event suppression (same test; see Config.Persist and Config.Rearm
//     for the figures): requiring 2-6 anomalous windows in a row, at
//     0.65 or at thresholds down to 0.56, scored 35.8-56.2; re-arming only
//     after the score falls under 0.55-0.60, 53.9-55.0; Cooldown 144,
//     52.0; all against 58.7. Each cuts false positives and loses more
//     in missed windows, so all stay off.
//   - Earlier detection from a shorter span: two more features, the mean
//     of the window's last 4 steps (log-mapped as a level) and its z
//     against the window, (code not kept): 56.6 with both against 60.6
//     without (the same code with both ignored, which changes the trees'
//     random draws: the 58.7 baseline's seed noise) at 0.65; 56.1 without
//     the mean, 54.9 without its z; with both, at most 56.6 over
//     thresholds 0.62-0.68. Not kept.
//   - A Numenta-style likelihood on the forecast residual beside the
//     forest (a window flagged when the tail probability of the short
//     mean of |resid_z| under the host's running mean and variance is at
//     most p, OR the forest's flag; code not kept, it needed 16 more
//     bytes a host): short mean of 1, 5 and 10 windows at p of 1e-5,
//     1e-4 and 1e-3 scored 38.3-52.9, 54.0-56.6 and 53.8-59.0. The best,
//     59.0, is within the seed noise of 58.7 and adds a per-host state:
//     not kept.
//   - A robust-z bar (a flagged window must also have a level or its
//     std at least 2-5 robust z from the history's median; code not
//     kept): 58.6, 56.3, 51.7, 49.1 at 2, 3, 4, 5; lower thresholds with
//     it, 49.1-55.6. Not kept.
//   - Checked once on the NAB files after the training sweeps, nothing
//     chosen from it (TestEventCandidatesOnNAB): the defaults score 29.8,
//     -4.5 and 42.1 (6 of 9 windows, 57 false positives); Persist 2
//     scores 51.6, 39.1 and 56.6 (the same 6 windows, 21 false
//     positives); Rearm 0.55, 38.9, 35.2 and 40.8 (4 windows, 7 false
//     positives); the robust-z bar at 3 gives exactly the defaults'.
//
// # Not done yet
//
//   - The training traces and NAB disagree on event suppression: Persist
//     2 loses 7 points on the training traces (short injected bursts and
//     level-shift onsets whose second window scores under the bar) and
//     would gain 22 on NAB, where it keeps all six windows found and
//     drops 36 of 57 false positives: most of NAB's are single anomalous
//     windows. The injected faults may be
//     too short to stand for real ones; changing the injection now, after
//     seeing NAB, would tune on NAB by proxy, so it is left to a decision
//     made on other grounds (or to more labelled real data).
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
