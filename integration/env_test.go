package integration

import (
	"context"
	"net"
	"os"
	"strings"
	"testing"
	"time"
)

// Environment of the integration tests. Each helper returns the endpoint
// of one real service, or skips the test with how to start the service;
// with SCALORA_REQUIRE_INTEGRATION=1 (CI) a missing service fails instead.
const (
	envRequire      = "SCALORA_REQUIRE_INTEGRATION"
	envKafkaBrokers = "SCALORA_KAFKA_BROKERS"
)

// kafkaBrokers returns the brokers in SCALORA_KAFKA_BROKERS
// (comma-separated, default 127.0.0.1:9092) once the first accepts a TCP
// connection.
func kafkaBrokers(t *testing.T) []string {
	t.Helper()

	brokers := strings.Split(envOr(envKafkaBrokers, "127.0.0.1:9092"), ",")
	if err := dialable(brokers[0]); err != nil {
		unavailable(t, "kafka broker", err,
			"start one with deploy/kafka/kafka.sh start, or set "+envKafkaBrokers)
	}

	return brokers
}

// unavailable skips the test, or fails it when integration is required.
func unavailable(t *testing.T, what string, err error, howToStart string) {
	t.Helper()

	if os.Getenv(envRequire) == "1" {
		t.Fatalf("%s unavailable (%v) and %s=1: %s", what, err, envRequire, howToStart)
	}
	t.Skipf("%s unavailable (%v): %s", what, err, howToStart)
}

func dialable(addr string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()

	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", strings.TrimSpace(addr))
	if err != nil {
		return err
	}
	return conn.Close()
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
