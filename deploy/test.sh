#!/usr/bin/env bash
# Runs every test of the project with the real parts they need: it installs
# libchdb (the embedded ClickHouse engine), starts a real Apache Kafka broker
# on 127.0.0.1 unless one is already running, runs "go test ./..." (through
# gotestsum, which lists skipped tests and their reasons at the end), and
# stops the broker again if it started it.
#
# Extra arguments go to "go test" (e.g. deploy/test.sh -run Pipeline).
# With CI=true the tests that need the broker or libchdb fail instead of
# skipping when those are missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CHDB_LIB_PATH="$(deploy/setup-chdb.sh)"
export CHDB_LIB_PATH
export SCALORA_KAFKA_BROKERS="${SCALORA_KAFKA_BROKERS:-127.0.0.1:${KAFKA_PORT:-9092}}"

started=""
if ! deploy/kafka/kafka.sh status >/dev/null 2>&1; then
  deploy/kafka/kafka.sh start >/dev/null
  started=yes
fi
stop_broker() {
  if [[ -n "$started" ]]; then
    deploy/kafka/kafka.sh stop
  fi
}
trap stop_broker EXIT

if [[ "${CI:-}" == "true" ]]; then
  export SCALORA_REQUIRE_INTEGRATION=1 SCALORA_REQUIRE_CHDB=1
fi

# gotestsum (a Go tool dependency of this module) prints one line per
# package and, at the end, every skipped test with the reason it gives, so
# a missing real part is visible without -v.
go tool gotestsum --format pkgname-and-test-fails --format-hide-empty-pkg \
  -- -count=1 -timeout 30m "$@" ./...
