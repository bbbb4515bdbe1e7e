package pipeline

import (
	"errors"
	"fmt"
)

// Topics names the Kafka topics the pipeline reads and writes.
type Topics struct {
	// Samples is the input topic of CPU samples keyed by host.
	// Default "scalora.samples".
	Samples string `yaml:"samples"`
	// Forecasts receives one schemas.Forecast per closed host step, keyed by
	// host. Default "scalora.forecasts".
	Forecasts string `yaml:"forecasts"`
	// Anomalies receives one schemas.Anomaly per scored host step, keyed by
	// host. Default "scalora.anomalies".
	Anomalies string `yaml:"anomalies"`
	// Decisions receives one schemas.Decision per group step, keyed by group.
	// Default "scalora.decisions".
	Decisions string `yaml:"decisions"`
	// Savings receives one schemas.Cost per group step, keyed by group.
	// Default "scalora.savings".
	Savings string `yaml:"savings"`
	// DeadLetter receives rejected input with the reason in headers.
	// Default "scalora.deadletter".
	DeadLetter string `yaml:"dead_letter"`
}

// SetDefaults fills empty names with the defaults documented on Topics.
func (t *Topics) SetDefaults() {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&t.Samples, "scalora.samples")
	def(&t.Forecasts, "scalora.forecasts")
	def(&t.Anomalies, "scalora.anomalies")
	def(&t.Decisions, "scalora.decisions")
	def(&t.Savings, "scalora.savings")
	def(&t.DeadLetter, "scalora.deadletter")
}

// All lists every topic, input first.
func (t Topics) All() []string {
	return []string{t.Samples, t.Forecasts, t.Anomalies, t.Decisions, t.Savings, t.DeadLetter}
}

// Validate checks that every topic is named and no two share a name.
func (t Topics) Validate() error {
	seen := map[string]bool{}
	for _, name := range t.All() {
		if name == "" {
			return errors.New("topics: a topic name is empty")
		}
		if seen[name] {
			return fmt.Errorf("topics: %q is used twice", name)
		}
		seen[name] = true
	}
	return nil
}
