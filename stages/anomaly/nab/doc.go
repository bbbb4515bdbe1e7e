// Package nab scores anomaly detections the way the Numenta Anomaly
// Benchmark (NAB) does, and runs NAB-style CSV files through the pipeline's
// own window and anomaly stages to score them (Evaluate).
//
// # Rules, as in NAB's sweeper (nab/sweeper.py, NAB v1.x)
//
//   - Rows are a file's readings in time order, indexed from 0. The first
//     ProbationLength(n) = min(floor(0.15 n), 750) rows are a probation
//     period: nothing there is scored, and a window none of whose rows lies
//     after it is not scored either.
//   - A labelled window covers the rows from its first timestamp to its
//     last, inclusive; its width w is that number of rows.
//   - Within a window only the earliest detection counts. At row i of a
//     window whose last row is r it earns tp × S(-(r-i+1)/w) / S(-1), where
//     S(x) = 2/(1+e^(5x)) - 1 is NAB's scaled sigmoid (S(x) = -1 for x ≥ 3):
//     exactly tp at the window's first row, close to 0 at its last.
//   - A window without a detection costs -fn.
//   - A detection outside every window costs fp × S(|i - r| / (w - 1)),
//     where r and w are the last row and width of the closest window before
//     it: almost nothing just after a window, the full -fp from about one
//     window width on. Before the first window it costs the full -fp.
//   - A file's raw score is the sum of these. Over a set of files the
//     normalised score is 100 × (raw - null) / (perfect - null), where null
//     is the raw score of a detector that never fires (-fn per scored
//     window) and perfect is tp per labelled window (NAB's runner counts
//     every labelled window, scored or not; so do we).
//
// Profiles are NAB's: standard (tp 1, fp 0.11, fn 1), reward_low_FP_rate
// (fp 0.22) and reward_low_FN_rate (fn 2).
//
// # Where this differs from NAB
//
// NAB enters a window only on a row whose timestamp equals the window's
// start exactly; here a window covers the rows whose timestamps fall within
// [start, end], which is the same for NAB's own label files (their limits
// are row timestamps) and does not silently drop a window whose limits fall
// between rows. NAB divides by zero on a detection after a window of one
// row; here that detection is scored as if two window widths past it
// (S(2)), as NAB's older scorer did.
//
// NAB also chooses each detector's threshold to maximise its score on the
// corpus. Evaluate does not: the threshold is the detector's configured one,
// fixed before the run.
package nab
