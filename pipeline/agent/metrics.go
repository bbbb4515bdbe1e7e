package agent

import (
	"errors"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	dropped  prometheus.Counter
	rejected prometheus.Counter
	sent     prometheus.Counter
	failures prometheus.Counter
	buffered prometheus.Gauge
}

// newMetrics registers on reg; nil reg keeps the metrics unregistered.
func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		dropped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "scalora_agent_dropped_samples_total",
			Help: "Samples dropped, oldest first, because the buffer was full while the destination was down.",
		}),
		rejected: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "scalora_agent_rejected_samples_total",
			Help: "Samples dropped because the destination refused their batch as malformed.",
		}),
		sent: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "scalora_agent_sent_samples_total",
			Help: "Samples the destination accepted.",
		}),
		failures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "scalora_agent_send_failures_total",
			Help: "Batches that failed to send and were put back to be retried.",
		}),
		buffered: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "scalora_agent_buffered_samples",
			Help: "Samples waiting in the buffer to be sent.",
		}),
	}
	if reg == nil {
		return m, nil
	}

	for _, c := range []prometheus.Collector{m.dropped, m.rejected, m.sent, m.failures, m.buffered} {
		if err := reg.Register(c); err != nil {
			var are prometheus.AlreadyRegisteredError
			if errors.As(err, &are) {
				return nil, fmt.Errorf("register agent metrics: %w (one agent per registry)", err)
			}
			return nil, fmt.Errorf("register agent metrics: %w", err)
		}
	}
	return m, nil
}
