package kafka

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the transport's counters. A nil *metrics (no registry) is
// valid and counts nothing, so call sites need no checks.
type metrics struct {
	consumed     *prometheus.CounterVec
	produced     *prometheus.CounterVec
	commits      prometheus.Counter
	commitErrors prometheus.Counter
}

// newMetrics registers the counters on reg, or returns nil for a nil reg.
// Several publishers and subscribers may share one registry: a collector
// that is already registered is reused rather than reported as an error.
func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	if reg == nil {
		return nil, nil
	}

	m := &metrics{}
	var err error

	if m.consumed, err = register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "scalora_kafka_consumed_total",
		Help: "Records handed to the handler and acked, by topic.",
	}, []string{"topic"})); err != nil {
		return nil, err
	}
	if m.produced, err = register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "scalora_kafka_produced_total",
		Help: "Records acknowledged by the broker after Publish, by topic.",
	}, []string{"topic"})); err != nil {
		return nil, err
	}
	if m.commits, err = register(reg, prometheus.NewCounter(prometheus.CounterOpts{
		Name: "scalora_kafka_commits_total",
		Help: "Offset commits that succeeded, each covering one or more partitions.",
	})); err != nil {
		return nil, err
	}
	if m.commitErrors, err = register(reg, prometheus.NewCounter(prometheus.CounterOpts{
		Name: "scalora_kafka_commit_errors_total",
		Help: "Commit rounds that failed, in BeforeCommit or in the offset commit itself.",
	})); err != nil {
		return nil, err
	}

	return m, nil
}

func register[C prometheus.Collector](reg prometheus.Registerer, c C) (C, error) {
	err := reg.Register(c)

	var are prometheus.AlreadyRegisteredError
	if errors.As(err, &are) {
		if existing, ok := are.ExistingCollector.(C); ok {
			return existing, nil
		}
	}
	if err != nil {
		var zero C
		return zero, err
	}

	return c, nil
}

func (m *metrics) addConsumed(topic string) {
	if m != nil {
		m.consumed.WithLabelValues(topic).Inc()
	}
}

func (m *metrics) addProduced(topic string, n int) {
	if m != nil {
		m.produced.WithLabelValues(topic).Add(float64(n))
	}
}

func (m *metrics) addCommit(err error) {
	if m == nil {
		return
	}
	if err != nil {
		m.commitErrors.Inc()
		return
	}
	m.commits.Inc()
}
