# Scalora's entry points. "make demo" and "make test" are the two commands
# of the README; the rest are what a developer runs day to day.

GO      ?= go
BIN     := bin/scalora
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
REVISION ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)

.PHONY: demo test build run bench bench-memory bench-e2e fmt vet chdb kafka-start kafka-stop

## demo: install libchdb if needed, build scalora and run the 30-second demo
demo: build
	CHDB_LIB_PATH="$$(deploy/setup-chdb.sh)" ./$(BIN) demo

## test: every test, with libchdb and a real Kafka broker (deploy/test.sh)
test:
	deploy/test.sh

## build: the scalora binary in bin/
build:
	$(GO) build -ldflags "-X main.version=$(VERSION) -X main.revision=$(REVISION)" -o $(BIN) ./cmd/scalora

## run: the pipeline on the embedded default (in-process Kafka and chDB)
run: build
	CHDB_LIB_PATH="$$(deploy/setup-chdb.sh)" ./$(BIN) run

# The per-stage benchmarks: decoding, windowing, forecasting (one host, a
# batch, and gorgonia's own graph), anomaly scoring, decision, cost, store
# encoding and the in-process handoff between stages.
BENCH_PKGS := ./schemas/ ./stages/window/ ./stages/forecast/ ./stages/anomaly/ \
	./stages/decision/ ./stages/cost/ ./pipeline/store/chdbstore/ ./pipeline/
BENCH_RE   := DecodeSample|Add$$|Predict|StageForecast|GorgoniaForward|DetectorScore|Observe|Cost|EncodeBatch|Handoff

## bench: the per-stage Go benchmarks, 6 runs each, in bench.txt for benchstat
bench:
	CHDB_LIB_PATH="$$(deploy/setup-chdb.sh)" $(GO) test -run '^$$' -bench '$(BENCH_RE)' -benchmem -count 6 $(BENCH_PKGS) | tee bench.txt

## bench-memory: heap the whole chain keeps per host (about a minute)
bench-memory:
	$(GO) test -run '^$$' -bench BenchmarkMemoryPerHost -benchtime 1x ./pipeline/app/

## bench-e2e: end-to-end throughput, latency, CPU and RSS on a real broker
bench-e2e: build
	deploy/kafka/kafka.sh start >/dev/null
	CHDB_LIB_PATH="$$(deploy/setup-chdb.sh)" ./$(BIN) bench --broker-pid "$$(pgrep -f '^java .*kafka.Kafka' | head -1)"

fmt:
	gofmt -l -w .

vet:
	$(GO) vet ./...

chdb:
	deploy/setup-chdb.sh

kafka-start:
	deploy/kafka/kafka.sh start

kafka-stop:
	deploy/kafka/kafka.sh stop
