package main

import (
	"math"
	"sort"

	dto "github.com/prometheus/client_model/go"
)

// BenchReport is the JSON "scalora bench" prints. Field names are stable.
type BenchReport struct {
	Broker   string `json:"broker"` // "kafka" (a real broker) or "embedded (kfake)"
	Workload struct {
		Source         string  `json:"source"`
		Hosts          int     `json:"hosts"`
		Steps          int     `json:"steps"`
		SamplesPerStep int     `json:"samples_per_step"`
		Samples        int     `json:"samples"`     // timed samples (warm-up excluded)
		TargetRate     float64 `json:"target_rate"` // samples/s; 0 means as fast as possible
	} `json:"workload"`

	Seconds          float64 `json:"seconds"`            // first timed sample produced to last row stored
	SamplesPerSecond float64 `json:"samples_per_second"` // sustained, end to end
	StepsClosed      float64 `json:"steps_closed"`       // steps windowed, forecast and stored in the timed phase

	// Latencies in milliseconds, read from the pipeline's histograms
	// (buckets 25 % apart, interpolated): from a sample's production to
	// the decision it completed, and to the store write of its rows.
	LatencyToDecisionMS Percentiles `json:"latency_to_decision_ms"`
	LatencyToStoreMS    Percentiles `json:"latency_to_store_ms"`

	// CPU seconds of this process (pipeline and load generator's Kafka
	// client) per 1,000 samples, and of the broker when its pid was given.
	CPUSecondsPer1000       float64  `json:"cpu_seconds_per_1000_samples"`
	BrokerCPUSecondsPer1000 *float64 `json:"broker_cpu_seconds_per_1000_samples,omitempty"`
	PeakRSSMB               float64  `json:"peak_rss_mb"`

	// Stages: time spent in each stage during the timed phase.
	Stages map[string]StageTime `json:"stages"`
}

// Percentiles of a latency distribution.
type Percentiles struct {
	Count int64   `json:"count"`
	P50   float64 `json:"p50"`
	P95   float64 `json:"p95"`
	P99   float64 `json:"p99"`
}

// StageTime is one stage's share of the timed phase.
type StageTime struct {
	Calls         int64   `json:"calls"`
	Seconds       float64 `json:"seconds"`
	MicrosPerCall float64 `json:"micros_per_call"`
}

// histogram is a snapshot of one Prometheus histogram series.
type histogram struct {
	upper []float64 // bucket upper bounds, ascending
	cum   []uint64  // cumulative counts
	count uint64
	sum   float64
}

// findHistogram returns the series of family name whose labels include
// all of match, or a zero histogram.
func findHistogram(mfs []*dto.MetricFamily, name string, match map[string]string) histogram {
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	metrics:
		for _, m := range mf.GetMetric() {
			have := map[string]string{}
			for _, l := range m.GetLabel() {
				have[l.GetName()] = l.GetValue()
			}
			for k, v := range match {
				if have[k] != v {
					continue metrics
				}
			}
			h := m.GetHistogram()
			out := histogram{count: h.GetSampleCount(), sum: h.GetSampleSum()}
			for _, b := range h.GetBucket() {
				out.upper = append(out.upper, b.GetUpperBound())
				out.cum = append(out.cum, b.GetCumulativeCount())
			}
			return out
		}
	}
	return histogram{}
}

// minus is h less an earlier snapshot of the same series.
func (h histogram) minus(before histogram) histogram {
	out := histogram{upper: h.upper, count: h.count - before.count, sum: h.sum - before.sum}
	out.cum = make([]uint64, len(h.cum))
	for i := range h.cum {
		out.cum[i] = h.cum[i]
		if i < len(before.cum) {
			out.cum[i] -= before.cum[i]
		}
	}
	return out
}

// quantile interpolates linearly inside the bucket holding quantile q.
func (h histogram) quantile(q float64) float64 {
	if h.count == 0 {
		return math.NaN()
	}
	rank := q * float64(h.count)
	i := sort.Search(len(h.cum), func(i int) bool { return float64(h.cum[i]) >= rank })
	if i == len(h.cum) {
		return h.upper[len(h.upper)-1] // beyond the last bound: report the bound
	}
	lo, below := 0.0, 0.0
	if i > 0 {
		lo, below = h.upper[i-1], float64(h.cum[i-1])
	}
	in := float64(h.cum[i]) - below
	if in == 0 {
		return h.upper[i]
	}
	return lo + (h.upper[i]-lo)*(rank-below)/in
}

// percentilesMS reports h's percentiles in milliseconds.
func (h histogram) percentilesMS() Percentiles {
	return Percentiles{
		Count: int64(h.count),
		P50:   round3(1000 * h.quantile(0.50)),
		P95:   round3(1000 * h.quantile(0.95)),
		P99:   round3(1000 * h.quantile(0.99)),
	}
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }
