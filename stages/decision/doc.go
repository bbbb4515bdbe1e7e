// Package decision turns per-host forecasts into one scaling recommendation
// per instance group and step.
//
// A group's hosts are treated as a sample of its instances: the group's
// demand, in instance units, is the configured instance count times the mean
// CPU of the hosts that reported the step. The recommended count covers the
// larger of the current demand and the forecast peak up to the first step
// that an instance ordered now could serve (one step to close the decided
// step, then the boot time: 1 + ceil(BootTime/Step) forecast steps), at the
// group's target utilisation. Scale-out happens at once; scale-in
// waits until the need stayed lower for the whole stabilisation window and
// then removes at most MaxScaleInStep instances per step.
//
// Scalora never scales anything itself: decisions are recommendations that
// the user's autoscaler may apply (enforce mode) or that are only stored
// (preview mode).
//
// Known limitation: the need keeps no reserve for rises that the forecast
// misses beyond the target utilisation's headroom, so a workload with
// short spikes or idle-to-busy jumps is under-provisioned for a boot time
// at each one. A reserve sized from the forecast's recent misses (a
// quantile of demand minus the need decided a boot time earlier) was tried
// on the shared Bitbrains and NAB traces: it cut those steps but cost more
// instance-hours than the reactive policy on most traces, so it is not in.
//
// Known limitation: a group whose hosts are spread over several pipeline
// instances (hosts are partitioned by host, not by group) is decided by each
// instance from its partial view, so two instances may emit different
// decisions for the same (group, step); the store keeps the last written.
// Routing forecasts through a topic keyed by group would give one decider
// the whole group.
package decision
