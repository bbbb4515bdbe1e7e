package integration

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/scalora/scalora/cmd/scalora/traces"
	"github.com/scalora/scalora/pipeline/store/chdbstore"
	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/stages/window"
)

// Shape of the kill test's input: real traces over many hosts, one sample
// per host per 5-minute step, with bad input mixed in.
const (
	killHosts    = 48
	killSteps    = 2200
	killStep     = 5 * time.Minute
	killTopicPar = 4
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
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 3))

	dir := t.TempDir()
	cfgPath, topic, dlq, group := writeKillConfig(t, dir, broker.Addr)
	stream := buildKillStream(t, rng)
	produceStream(t, broker.Addr, topic, stream.records)
	t.Logf("produced %d records: %d good samples, %d out of order, %d duplicates, %d late, %d malformed",
		len(stream.records), stream.good, stream.swapped, stream.dups, stream.late, len(stream.bad)-stream.late)

	// Three kills at random points, the broker restarted during the second
	// run, then a run to the end, stopped with SIGTERM.
	for run := 1; run <= 3; run++ {
		p := startScalora(t, bin, cfgPath, dir, run)
		wait := time.Duration(1500+rng.IntN(2500)) * time.Millisecond
		time.Sleep(wait)
		if run == 2 {
			broker.Restart()
			t.Logf("run 2: broker restarted")
			time.Sleep(time.Duration(2000+rng.IntN(4000)) * time.Millisecond)
		}
		done := committed(t, broker.Addr, group, topic)
		p.kill()
		t.Logf("run %d: SIGKILL after %v, %d of %d records committed", run, wait, done, len(stream.records))
	}
	p := startScalora(t, bin, cfgPath, dir, 4)
	waitCommitted(t, broker.Addr, group, topic, int64(len(stream.records)), 6*time.Minute)
	p.term()

	checkKillStore(t, filepath.Join(dir, "data", "chdb"), stream)
	checkInjectedDeadLetters(t, broker.Addr, dlq, stream.bad)
}

// killStream is the input of the kill test and what it should produce.
type killStream struct {
	records []*kgo.Record
	// bad maps each injected bad payload to the reason it must carry on
	// the dead-letter topic.
	bad                       map[string]string
	good, swapped, dups, late int
	// steps are the (host, step) → value that one uninterrupted windowing
	// of the same records closes.
	steps map[string]float64
}

// buildKillStream lays the bundled traces out over the hosts, ending one
// step before now, and injects faults at random.
func buildKillStream(t *testing.T, rng *rand.Rand) killStream {
	t.Helper()
	names := traces.Names()
	end := time.Now().UTC().Truncate(killStep).Add(-killStep)
	start := end.Add(-killSteps * killStep)

	ks := killStream{bad: map[string]string{}, steps: map[string]float64{}}
	add := func(host string, payload []byte) {
		ks.records = append(ks.records, &kgo.Record{Key: []byte(host), Value: payload})
	}
	enc := func(s schemas.Sample) []byte {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	addBad := func(host string, payload []byte, reason string) {
		add(host, payload)
		ks.bad[string(payload)] = reason
	}

	series := make([][]float64, killHosts)
	for h := range series {
		s, err := traces.Load(names[h%len(names)])
		if err != nil {
			t.Fatal(err)
		}
		off := (h / len(names)) * 197
		for i := range killSteps {
			series[h] = append(series[h], s.Points[(off+i)%len(s.Points)].CPU)
		}
	}

	held := map[int]schemas.Sample{} // a host's sample held back one step
	for n := range killSteps {
		for h := range killHosts {
			host := fmt.Sprintf("kill-%02d", h)
			s := schemas.Sample{Version: 1, Host: host, Group: "kill",
				Time: start.Add(time.Duration(n)*killStep + time.Duration(rng.IntN(240))*time.Second),
				CPU:  series[h][n]}
			ks.good++

			switch r := rng.IntN(1000); {
			case r < 20 && n+1 < killSteps && !isHeld(held, h): // out of order: after the next step's sample
				held[h] = s
				ks.swapped++
				continue
			case r < 30: // the same reading twice
				add(host, enc(s))
				ks.dups++
			case r < 36 && n > 10: // a sample for a step closed long ago
				late := s
				// Half a second off the whole seconds of good samples, so
				// it can never duplicate one.
				late.Time = start.Add(time.Duration(n-6)*killStep + 7500*time.Millisecond)
				late.CPU = 50 + float64(len(ks.bad))/1000
				addBad(host, enc(late), schemas.ReasonLate)
				ks.late++
			case r < 42:
				addMalformed(addBad, host, len(ks.bad))
			}
			add(host, enc(s))
			if prev, ok := held[h]; ok {
				add(host, enc(prev))
				delete(held, h)
			}
		}
	}

	ks.steps = referenceSteps(t, ks.records)
	return ks
}

func isHeld(held map[int]schemas.Sample, h int) bool {
	_, ok := held[h]
	return ok
}

// addMalformed injects one malformed message of a kind chosen by i, unique
// by i so it can be found on the dead-letter topic.
func addMalformed(addBad func(string, []byte, string), host string, i int) {
	ts := time.Now().UTC().Add(-time.Hour).Format(time.RFC3339)
	switch i % 7 {
	case 0:
		addBad(host, []byte(fmt.Sprintf("not json %d", i)), schemas.ReasonUnparsable)
	case 1:
		addBad(host, []byte(fmt.Sprintf(`{"v":1,"host":"","ts":%q,"cpu":%d.5}`, ts, i%90)), schemas.ReasonHost)
	case 2:
		addBad(host, []byte(fmt.Sprintf(`{"v":1,"host":%q,"ts":%q,"cpu":-%d.5}`, host, ts, i)), schemas.ReasonCPU)
	case 3:
		addBad(host, []byte(fmt.Sprintf(`{"v":1,"host":%q,"ts":%q,"cpu":%d.5}`, host, ts, 1000+i)), schemas.ReasonCPU)
	case 4:
		addBad(host, []byte(fmt.Sprintf(`{"v":9,"host":%q,"ts":%q,"cpu":%d.5}`, host, ts, i%90)), schemas.ReasonVersion)
	case 5:
		future := time.Now().UTC().Add(time.Duration(24+i) * time.Hour).Format(time.RFC3339)
		addBad(host, []byte(fmt.Sprintf(`{"v":1,"host":%q,"ts":%q,"cpu":1}`, host, future)), schemas.ReasonTime)
	default:
		addBad(host, []byte(fmt.Sprintf(`{"v":1,"host":%q,"ts":%q,"cpu":1,"pad":"%d%s"}`,
			host, ts, i, strings.Repeat("x", 5000))), schemas.ReasonOversized)
	}
}

// referenceSteps windows the records in order with the pipeline's window
// configuration, once and without interruption.
func referenceSteps(t *testing.T, recs []*kgo.Record) map[string]float64 {
	t.Helper()
	w, err := window.New(window.Config{Step: killStep, Size: 24, AllowedLateness: killStep})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	var closed []window.Closed
	for _, r := range recs {
		s, err := schemas.DecodeSample(r.Value, schemas.DefaultLimits())
		if err != nil {
			continue
		}
		closed, _ = w.Add(s, closed[:0])
		for _, c := range closed {
			out[stepKey(c.Step.Host, c.Step.Time)] = c.Step.CPU
		}
	}
	return out
}

func stepKey(host string, ts time.Time) string {
	return host + "@" + ts.UTC().Format(time.RFC3339)
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

// buildScalora builds the command into the test's temporary directory.
func buildScalora(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	bin := filepath.Join(t.TempDir(), "scalora")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/scalora")
	cmd.Dir = filepath.Join(filepath.Dir(file), "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// produceStream creates the input topic and writes the records in order.
func produceStream(t *testing.T, broker, topic string, recs []*kgo.Record) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	cl, err := kgo.NewClient(kgo.SeedBrokers(broker), kgo.DefaultProduceTopic(topic),
		kgo.ProducerBatchMaxBytes(1<<20), kgo.MaxBufferedRecords(1<<16))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	// The pipeline may have created it already, with its own partitions.
	if _, err := kadm.NewClient(cl).CreateTopic(ctx, killTopicPar, 1, nil, topic); err != nil &&
		!errors.Is(err, kerr.TopicAlreadyExists) {
		t.Fatal(err)
	}
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
}

// process is one run of the scalora binary.
type process struct {
	t    *testing.T
	cmd  *exec.Cmd
	done chan error
	log  string
}

func startScalora(t *testing.T, bin, cfgPath, dir string, run int) *process {
	t.Helper()
	logPath := filepath.Join(dir, fmt.Sprintf("run-%d.log", run))
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "run", "--config", cfgPath)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{t: t, cmd: cmd, done: make(chan error, 1), log: logPath}
	go func() {
		p.done <- cmd.Wait()
		logf.Close()
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	return p
}

func (p *process) kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// term stops the process with SIGTERM and fails the test unless it exits 0.
func (p *process) term() {
	p.t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		if err != nil {
			p.t.Fatalf("scalora exited with %v after SIGTERM; log:\n%s", err, tail(p.log))
		}
	case <-time.After(time.Minute):
		p.t.Fatalf("scalora did not exit within a minute of SIGTERM; log:\n%s", tail(p.log))
	}
}

func tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// committed sums the group's committed offsets on topic.
func committed(t *testing.T, broker, group, topic string) int64 {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(broker))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	offs, err := kadm.NewClient(cl).FetchOffsets(ctx, group)
	if err != nil {
		return -1
	}
	var n int64
	offs.Each(func(o kadm.OffsetResponse) {
		if o.Topic == topic && o.At > 0 {
			n += o.At
		}
	})
	return n
}

func waitCommitted(t *testing.T, broker, group, topic string, want int64, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		got := committed(t, broker, group, topic)
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v, %d of %d records committed", limit, got, want)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// checkKillStore compares the stored steps, forecasts and decisions with
// what one uninterrupted run closes.
func checkKillStore(t *testing.T, chdbPath string, ks killStream) {
	t.Helper()
	st, err := chdbstore.Open(chdbstore.Config{Path: chdbPath})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	one := func(q string) int64 {
		t.Helper()
		res, err := st.Query(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var n int64
		fmt.Sscan(fmt.Sprint(res.Rows[0][0]), &n)
		return n
	}

	res, err := st.Query(ctx, "SELECT host, ts, cpu FROM steps FINAL")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, r := range res.Rows {
		got[stepKey(r[0].(string), r[1].(time.Time))] = r[2].(float64)
	}
	missing, wrong := 0, 0
	for k, v := range ks.steps {
		g, ok := got[k]
		switch {
		case !ok:
			missing++
		case g != v:
			wrong++
		}
	}
	extra := len(got) - (len(ks.steps) - missing)
	raw := one("SELECT count() FROM steps")
	t.Logf("steps: %d expected, %d stored (%d rows before deduplication), %d missing, %d extra, %d with another value",
		len(ks.steps), len(got), raw, missing, extra, wrong)
	if missing+extra+wrong > 0 {
		t.Errorf("stored steps differ from one uninterrupted run")
	}

	fcKeys := one("SELECT uniqExact(host, ts) FROM forecasts FINAL")
	fcBad := one("SELECT count() FROM (SELECT host, ts, count() AS n, uniqExact(horizon) AS h FROM forecasts FINAL GROUP BY host, ts) WHERE n != 12 OR h != 12")
	fcOrphan := one("SELECT count() FROM (SELECT DISTINCT host, ts FROM forecasts FINAL) AS f LEFT ANTI JOIN (SELECT host, ts FROM steps FINAL) AS s USING (host, ts)")
	fcRaw := one("SELECT count() FROM forecasts")
	t.Logf("forecasts: %d (host, step) with forecasts (%d rows before deduplication), %d without exactly horizons 1..12 once, %d for steps not stored",
		fcKeys, fcRaw, fcBad, fcOrphan)
	if fcKeys != int64(len(got)) || fcBad != 0 || fcOrphan != 0 {
		t.Errorf("forecasts: want exactly 12 horizons for each of the %d stored steps", len(got))
	}

	// Every host has a full window from its 24th step on, restarts or not:
	// a restarted process must forecast with the model at once.
	notReady := one("SELECT count() FROM forecasts FINAL WHERE horizon = 1 AND NOT ready AND " +
		"ts >= (SELECT min(ts) FROM steps FINAL) + toIntervalMinute(115)")
	t.Logf("forecasts from a host's 24th step on made without a full window: %d", notReady)
	if notReady != 0 {
		t.Errorf("%d forecasts fell back after a restart instead of using the restored window", notReady)
	}

	stepTimes := one("SELECT uniqExact(ts) FROM steps FINAL")
	decisions := one("SELECT count() FROM decisions FINAL WHERE group = 'kill'")
	decRaw := one("SELECT count() FROM decisions")
	undecided := one("SELECT count() FROM (SELECT DISTINCT ts FROM steps FINAL) AS s LEFT ANTI JOIN (SELECT ts FROM decisions FINAL) AS d USING (ts)")
	t.Logf("decisions: %d group steps stored, %d decided (%d rows before deduplication), %d steps undecided",
		stepTimes, decisions, decRaw, undecided)
	if undecided != 0 {
		t.Errorf("%d group steps have no decision", undecided)
	}
}

// checkInjectedDeadLetters reads the whole dead-letter topic and checks that every
// injected bad payload is there with its reason.
func checkInjectedDeadLetters(t *testing.T, broker, topic string, bad map[string]string) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(broker), kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchMaxBytes(64<<20))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ends, err := kadm.NewClient(cl).ListEndOffsets(ctx, topic)
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	ends.Each(func(o kadm.ListedOffset) { total += o.Offset })

	seen := map[string]string{}
	var read int64
	for read < total {
		fs := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			t.Fatalf("read %d of %d dead letters: %v", read, total, err)
		}
		fs.EachRecord(func(r *kgo.Record) {
			read++
			for _, h := range r.Headers {
				if h.Key == "scalora_reason" {
					seen[string(r.Value)] = string(h.Value)
				}
			}
		})
	}

	byReason := map[string]int{}
	missing, wrong := 0, 0
	for payload, reason := range bad {
		got, ok := seen[payload]
		switch {
		case !ok:
			missing++
		case got != reason:
			wrong++
			if wrong <= 3 {
				t.Errorf("dead letter %.60q has reason %q, want %q", payload, got, reason)
			}
		default:
			byReason[reason]++
		}
	}
	t.Logf("dead letters: %d records (replays may repeat one), %d distinct; injected %d, found by reason %v",
		total, len(seen), len(bad), byReason)
	if missing > 0 || wrong > 0 {
		t.Errorf("%d injected bad samples missing from the dead-letter topic, %d with the wrong reason", missing, wrong)
	}
	if extra := len(seen) - len(bad) + missing; extra > 0 {
		t.Errorf("%d dead letters were not injected bad samples", extra)
	}
}
