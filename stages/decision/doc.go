// Package decision turns per-host forecasts into one scaling recommendation
// per instance group and step.
//
// A group's hosts are treated as a sample of its instances: the group's
// demand, in instance units, is the configured instance count times the mean
// CPU of the hosts that reported the step. The recommended count covers the
// larger of the current demand and the forecast peak up to the first step
// that an instance ordered now could serve (one step to close the decided
// step, then the boot time: 1 + ceil(BootTime/Step) forecast steps), at the
// group's target utilisation. Scale-out happens at once, to that need;
// scale-in waits until the measured demand stayed lower for the whole
// stabilisation window and the forecast peak is lower too, and then removes
// at most MaxScaleInStep instances per step, never going below the need
// plus a reserve for forecast misses.
//
// The reserve is sized per group, causally, from its own record (see
// headroom): at each step, how many instances the need decided a boot lead
// earlier fell short of the demand that arrived, and the reserve is a high
// quantile (GroupConfig.HeadroomQuantile) of those shortfalls over the
// recent past (HeadroomWindow). It is kept, not ordered: scale-out never
// adds it, so a group that only rises runs its need, and a group that
// falls keeps up to need + reserve, a hysteresis as wide as the forecast's
// recent misses. A forecast that misses nothing keeps no reserve.
//
// Scalora never scales anything itself: decisions are recommendations that
// the user's autoscaler may apply (enforce mode) or that are only stored
// (preview mode).
//
// Known limitation: the reserve is kept only while scaling in, so a rise
// that the forecast misses from a count the group just scaled out to is
// still short for a boot time; ordering the reserve on scale-out too
// covered more of those steps on the shared traces but cost more
// instance-hours than the reactive policy. The reserve is one number per
// group for the whole window, so a group whose misses come at one hour of
// the day holds it at every hour.
//
// Known limitation: a group whose hosts are spread over several pipeline
// instances (hosts are partitioned by host, not by group) is decided by each
// instance from its partial view, so two instances may emit different
// decisions for the same (group, step); the store keeps the last written.
// Routing forecasts through a topic keyed by group would give one decider
// the whole group.
package decision
