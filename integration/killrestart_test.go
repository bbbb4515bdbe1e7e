package integration

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// Shape of the kill test's input: real traces over many hosts, one sample
// per host per 5-minute step, with bad input mixed in.
const (
	killHosts    = 48
	killSteps    = 2200
	killStep     = 5 * time.Minute
	killTopicPar = 4

	// killWaitLimit bounds the wait for one kill point; a run that gets no
	// further is killed where it is.
	killWaitLimit = 90 * time.Second
)

// TestKillAndBrokerRestartLoseAndDuplicateNothing replays more than 100,000
// samples from the bundled NAB CPU traces over 48 hosts through the real
// scalora binary, a real Kafka broker and chDB, with out-of-order,
// duplicate, late and malformed samples injected. It kills the process with
// SIGKILL at random points, restarts the broker once while the process
// runs, and restarts the process each time. Afterwards every (host, step)
// is stored once with the value a single uninterrupted windowing gives,
// every step has its 12 forecasts and its group decision, and every
// injected bad sample is on the dead-letter topic with the right reason.
func TestKillAndBrokerRestartLoseAndDuplicateNothing(t *testing.T) {
	requireCHDB(t)
	if testing.Short() {
		t.Skip("kill test: several minutes")
	}
	broker := startOwnBroker(t)
	bin := buildScalora(t)

	seed := uint64(time.Now().UnixNano())
	if s, err := strconv.ParseUint(os.Getenv("SCALORA_KILL_SEED"), 10, 64); err == nil {
		seed = s
	}
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 3))

	// SCALORA_KILL_DIR keeps the run's data and logs for a post-mortem.
	dir := cmp.Or(os.Getenv("SCALORA_KILL_DIR"), t.TempDir())
	cfgPath, topic, dlq, group := writeKillConfig(t, dir, broker.Addr)
	stream := buildKillStream(t, rng)
	produceStream(t, broker.Addr, topic, stream.records)
	t.Logf("produced %d records: %d good samples, %d out of order, %d duplicates, %d late, %d malformed",
		len(stream.records), stream.good, stream.swapped, stream.dups, stream.late, len(stream.bad)-stream.late)

	// Three kills at random points of the stream, the broker restarted
	// during the second run, then a run to the end, stopped with SIGTERM.
	// Points are set by committed progress, not by time, so that a slow or
	// busy machine kills as deep into the stream as a fast one; a random
	// delay after each moves the kill off the commit that reached it.
	total := int64(len(stream.records))
	for run := 1; run <= 3; run++ {
		p := startScalora(t, bin, cfgPath, dir, run)
		from := float64(run-1) * 0.2
		if run == 2 {
			waitProgress(t, broker.Addr, group, topic, int64((from+0.05)*float64(total)), killWaitLimit)
			broker.Restart()
			t.Logf("run 2: broker restarted")
		}
		target := int64((from + 0.1 + 0.1*rng.Float64()) * float64(total))
		reached := waitProgress(t, broker.Addr, group, topic, target, killWaitLimit)
		time.Sleep(time.Duration(rng.IntN(1500)) * time.Millisecond)
		p.kill()
		t.Logf("run %d: SIGKILL once %d of %d records were committed (aimed at %d)", run, reached, total, target)
	}
	p := startScalora(t, bin, cfgPath, dir, 4)
	waitCommitted(t, broker.Addr, group, topic, total, 6*time.Minute)
	p.term()

	checkKillStore(t, filepath.Join(dir, "data", "chdb"), stream)
	checkInjectedDeadLetters(t, broker.Addr, dlq, stream.bad)
}

// writeKillConfig writes the process's configuration and returns its path,
// the input and dead-letter topics and the consumer group.
func writeKillConfig(t *testing.T, dir, broker string) (path, topic, dlq, group string) {
	t.Helper()
	suffix := fmt.Sprintf("%d", time.Now().UnixNano())
	topic, dlq, group = "kill.samples."+suffix, "kill.deadletter."+suffix, "kill-"+suffix
	cfg := fmt.Sprintf(`data_dir: %q
http:
  addr: "off"
kafka:
  brokers: [%q]
  consumer_group: %q
  partitions: %d
  commit_interval: 300ms
  instance_id: kill-0
  session_timeout: 10s
topics:
  samples: %q
  forecasts: kill.forecasts.%s
  anomalies: kill.anomalies.%s
  decisions: kill.decisions.%s
  savings: kill.savings.%s
  dead_letter: %q
window:
  step: 5m
decision:
  step: 5m
`, filepath.Join(dir, "data"), broker, group, killTopicPar, topic, suffix, suffix, suffix, suffix, dlq)
	path = filepath.Join(dir, "scalora.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, topic, dlq, group
}
