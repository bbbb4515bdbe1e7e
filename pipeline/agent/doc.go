// Package agent samples the CPU of the Linux host it runs on and sends the
// samples to Scalora, either to the input topic on Kafka or to the HTTP
// API's POST /v1/samples. It backs `scalora agent`.
//
// # Measurement
//
// Every interval the agent reads /proc/stat (ReadProcStat). The aggregate
// "cpu" line gives the jiffies each state has used since boot; between two
// readings
//
//	cpu % = 100 × (1 − Δidle / Δtotal)
//
// where idle is the idle plus iowait columns (a core waiting on I/O is
// free to run other work, and the kernel counts it that way for load
// decisions) and total is the sum of the first eight columns (user, nice,
// system, idle, iowait, irq, softirq, steal). guest and guest_nice are
// already inside user and nice, so they are not added twice. The core
// count is the number of "cpuN" lines. The first reading only primes the
// counters: a sample needs two readings.
//
// # Delivery
//
// Samples go into a bounded buffer (default 10,000); when it is full the
// oldest sample is dropped and scalora_agent_dropped_samples_total counts
// it. A separate goroutine sends what is buffered, at most MaxBatch
// samples a request, and retries with exponential backoff while the
// destination is down; the sampling loop never waits for it. A batch that
// failed is put back at the front of the buffer, so it competes for space
// like any other sample and the oldest are still the first to go.
//
// A batch the HTTP endpoint refuses as malformed (400, 413, 422) is not
// retried: it is dropped and counted in
// scalora_agent_rejected_samples_total, since sending it again would be
// refused again and would hold back every later sample.
//
// What it does not do yet: the buffer lives in memory only (a restart
// loses what was not sent); per-core and per-cgroup CPU are not reported;
// a sample is taken on the tick, so a stalled host skews the interval it
// covers rather than being reported as a gap.
package agent
