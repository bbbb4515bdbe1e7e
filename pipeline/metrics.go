package pipeline

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics is the one observing wrapper every stage shares: the same
// records / errors / latency series, labelled by stage, so no stage
// measures itself.
type metrics struct {
	records  *prometheus.CounterVec
	errors   *prometheus.CounterVec
	duration *prometheus.HistogramVec
	rejected *prometheus.CounterVec
	dropped  *prometheus.CounterVec
	restored *prometheus.CounterVec
	samples  prometheus.Counter
	toDecide prometheus.Histogram
}

// LatencyBuckets are the buckets of the sample-to-result latency
// histograms: 0.5 ms to 2 min, 25 % apart, fine enough for percentiles
// read back from them (scalora bench does).
var LatencyBuckets = prometheus.ExponentialBucketsRange(0.0005, 120, 57)

// Stage labels of the metrics.
const (
	stageWindow   = "window"
	stageForecast = "forecast"
	stageAnomaly  = "anomaly"
	stageDecision = "decision"
	stageCost     = "cost"
)

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		records: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "scalora_stage_records_total",
			Help: "Records each stage produced.",
		}, []string{"stage"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "scalora_stage_errors_total",
			Help: "Errors each stage returned.",
		}, []string{"stage"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "scalora_stage_duration_seconds",
			Help:    "Time each stage spent per call.",
			Buckets: prometheus.ExponentialBuckets(1e-7, 4, 10),
		}, []string{"stage"}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "scalora_samples_rejected_total",
			Help: "Samples sent to the dead-letter topic, by reason.",
		}, []string{"reason"}),
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "scalora_samples_dropped_total",
			Help: "Samples dropped without a dead letter: replayed (already applied) or duplicate (same host and time).",
		}, []string{"reason"}),
		restored: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "scalora_host_states_restored_total",
			Help: "Host states read back from the store, by result: ok, refused (an unusable window), forecast_refused (an unusable forecast blend; the window was restored).",
		}, []string{"result"}),
		toDecide: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "scalora_sample_to_decision_seconds",
			Help:    "From the production (Kafka timestamp) of a sample that completed a group step to that step's decision.",
			Buckets: LatencyBuckets,
		}),
		samples: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "scalora_samples_received_total",
			Help: "Samples taken from the input topic, valid or not.",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.records, m.errors, m.duration, m.rejected, m.dropped, m.restored, m.samples, m.toDecide)
	}
	return m
}

// observe records one call of a stage that produced n records.
func (m *metrics) observe(stage string, start time.Time, n int, err error) {
	m.duration.WithLabelValues(stage).Observe(time.Since(start).Seconds())
	if n > 0 {
		m.records.WithLabelValues(stage).Add(float64(n))
	}
	if err != nil {
		m.errors.WithLabelValues(stage).Inc()
	}
}
