#!/usr/bin/env bash
# Runs a real single-node Apache Kafka 4.x broker (KRaft, no ZooKeeper) on
# 127.0.0.1 from the jars on Maven Central, for integration tests, CI and
# benchmarks on machines without a Docker engine.
#
# Usage: deploy/kafka/kafka.sh fetch|start|stop|status
#
# Environment (defaults in brackets):
#   SCALORA_CACHE        cache for jars and broker data [~/.cache/scalora]
#   KAFKA_PORT           client listener port [9092]
#   KAFKA_CONTROLLER_PORT controller listener port [9093]
#   KAFKA_HEAP           JVM heap [-Xmx1g -Xms512m]
#
# "start" waits until the broker accepts connections and prints its address.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache="${SCALORA_CACHE:-$HOME/.cache/scalora}"
libs="$cache/kafka/libs"
data="$cache/kafka/data"
run="$cache/kafka/run"
port="${KAFKA_PORT:-9092}"
cport="${KAFKA_CONTROLLER_PORT:-9093}"
heap="${KAFKA_HEAP:--Xmx1g -Xms512m}"

fetch() {
  if [[ -f "$libs/.complete" ]]; then
    return
  fi
  mkdir -p "$libs"
  mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$libs" -DincludeScope=runtime >&2
  touch "$libs/.complete"
}

config() {
  mkdir -p "$run" "$data"
  cat >"$run/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$data
num.partitions=4
offsets.topic.replication.factor=1
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
delete.topic.enable=true
PROPS
  cat >"$run/log4j2.yaml" <<'LOG'
Configuration:
  Appenders:
    Console:
      name: STDOUT
      PatternLayout:
        Pattern: "[%d] %p %m (%c)%n"
  Loggers:
    Root:
      level: WARN
      AppenderRef:
        - ref: STDOUT
LOG
}

java_cmd() {
  # shellcheck disable=SC2086
  java $heap -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$run/log4j2.yaml" \
    -cp "$libs/*" "$@"
}

running() {
  [[ -f "$run/pid" ]] && kill -0 "$(cat "$run/pid")" 2>/dev/null
}

start() {
  fetch
  if running; then
    echo "127.0.0.1:$port"
    return
  fi
  config
  if [[ ! -f "$data/meta.properties" ]]; then
    java_cmd kafka.tools.StorageTool format --standalone \
      -t "$(java_cmd kafka.tools.StorageTool random-uuid)" \
      -c "$run/server.properties" >&2
  fi
  nohup bash -c "$(declare -f java_cmd); heap='$heap' run='$run' libs='$libs' \
    java_cmd kafka.Kafka '$run/server.properties'" >"$run/broker.log" 2>&1 &
  echo $! >"$run/pid"
  for _ in $(seq 1 120); do
    if (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then
      echo "127.0.0.1:$port"
      return
    fi
    if ! running; then
      echo "kafka broker exited; log follows" >&2
      tail -n 50 "$run/broker.log" >&2
      exit 1
    fi
    sleep 1
  done
  echo "kafka broker did not open 127.0.0.1:$port within 120 s" >&2
  exit 1
}

stop() {
  if running; then
    pid=$(cat "$run/pid")
    pkill -TERM -P "$pid" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do
      running || break
      sleep 1
    done
  fi
  rm -f "$run/pid"
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  status) if running; then echo "running on 127.0.0.1:$port"; else echo "stopped"; exit 1; fi ;;
  *) echo "usage: $0 fetch|start|stop|status" >&2; exit 2 ;;
esac
