# Scalora's entry points. "make demo" and "make test" are the two commands
# of the README; the rest are what a developer runs day to day.

GO      ?= go
BIN     := bin/scalora
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
REVISION ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)

.PHONY: demo test build run bench fmt vet chdb kafka-start kafka-stop

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

## bench: the Go benchmarks, in a file benchstat reads (bench.txt)
bench:
	CHDB_LIB_PATH="$$(deploy/setup-chdb.sh)" $(GO) test -run '^$$' -bench . -benchmem -count 6 ./... | tee bench.txt

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
