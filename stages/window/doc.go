// Package window turns each host's CPU samples into an aligned window over
// event time: the first stage of the pipeline, ahead of the forecaster and
// the anomaly scorer.
//
// A Windower places every sample on a grid of Config.Step-wide steps aligned
// to the Unix epoch and aggregates the samples of a step (mean or max). Each
// host has a watermark, its latest sample time minus Config.AllowedLateness;
// a step closes when the watermark passes its end, which with the default
// lateness of 0 is on the host's first sample of a later step. Each closed
// step comes out as a Closed: the step as stored (schemas.Step) and the
// host's last Config.Size step values ending with it, which is what the
// forecaster and the scorer read. A sample for a step that already closed
// is rejected as late (schemas.ReasonLate).
//
// Missing steps are handled in two ways. A gap of up to Config.MaxGapSteps
// steps is filled by linear interpolation between the steps on either side,
// and the filled steps are marked Filled, with no samples. A longer gap
// resets the host's window: the host is not Ready again until it has
// Config.Size steps after the gap, and Closed.Reason says so.
//
// What it does not do yet:
//   - watermarks are per host and move only with that host's samples: the
//     last steps of a host that stops sending stay open until Flush;
//   - no eviction of hosts that stopped sending, and no snapshot or restore
//     of host state across restarts or partition hand-over;
//   - no metrics: Windower.Late and Windower.Hosts are for the caller to
//     export.
package window
