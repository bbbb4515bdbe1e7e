package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/scalora/scalora/pipeline"
	"github.com/scalora/scalora/pipeline/app"
	"github.com/scalora/scalora/pipeline/kafka"
	"github.com/scalora/scalora/schemas"
)

// badInputRun is one pipeline fed by TestPipelineSurvivesHostileInput.
type badInputRun struct {
	t    *testing.T
	pub  message.Publisher
	cfg  app.Config
	base time.Time // the first step of every valid host

	msgs  []*message.Message
	valid int               // messages that pass DecodeSample
	dead  map[string]string // dead-letter key -> reason
	sent  map[string][]byte // dead-letter key -> payload
	steps map[[2]string]int // (host, group) -> closed steps expected
}

// TestPipelineSurvivesHostileInput sends valid samples of hosts with
// hostile names mixed with every kind of invalid message, and checks that
// the pipeline keeps running, dead-letters exactly the invalid ones with
// their reason, and stores the valid ones with their names intact.
func TestPipelineSurvivesHostileInput(t *testing.T) {
	brokers := kafkaBrokers(t)
	requireCHDB(t)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	cfg := testConfig(t, brokers)
	a, stop, done := startPipelineWatched(t, ctx, cfg)

	pub, err := kafka.NewPublisher(kafka.PublisherConfig{Config: kafka.Config{Brokers: brokers}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()

	r := &badInputRun{
		t: t, pub: pub, cfg: cfg,
		base:  time.Now().Truncate(cfg.Window.Step).Add(-20 * cfg.Window.Step),
		dead:  map[string]string{},
		sent:  map[string][]byte{},
		steps: map[[2]string]int{},
	}
	r.hostileNames()
	r.cpuEdges()
	r.badTimes()
	r.badPayloads()
	r.duplicatesAndLate()
	r.publish()

	r.waitProcessed(ctx, a, "every valid sample")
	select {
	case err := <-done:
		t.Fatalf("pipeline stopped on hostile input: %v", err)
	default:
	}

	// The pipeline must still take and store input after all of that.
	r.msgs = nil
	r.series("it-after-the-storm", "it-after", 0, 5, 10)
	r.publish()
	r.waitProcessed(ctx, a, "the samples sent last")

	if err := a.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	r.checkStore(a)
	r.checkDeadLetters(ctx, brokers)

	stop()
}

// TestInvalidUTF8HostsAreNotMergedIntoOneWindow pins what becomes of two
// hosts whose names differ only in invalid UTF-8 bytes: DecodeSample
// (encoding/json) rewrites each such byte to U+FFFD, so both decode to the
// same host; the second host's samples then land in the first's window,
// mostly as late (dead-lettered) and the rest averaged in. JSON must be
// UTF-8, so both should be dead-lettered as unparsable instead.
func TestInvalidUTF8HostsAreNotMergedIntoOneWindow(t *testing.T) {
	brokers := kafkaBrokers(t)
	requireCHDB(t)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	cfg := testConfig(t, brokers)
	a, stop := startPipeline(t, ctx, cfg)

	pub, err := kafka.NewPublisher(kafka.PublisherConfig{Config: kafka.Config{Brokers: brokers}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()

	r := &badInputRun{
		t: t, pub: pub, cfg: cfg,
		base:  time.Now().Truncate(cfg.Window.Step).Add(-20 * cfg.Window.Step),
		dead:  map[string]string{},
		sent:  map[string][]byte{},
		steps: map[[2]string]int{},
	}
	for key, host := range map[string]string{"it-utf8-ff": "it-utf8-\xff", "it-utf8-fe": "it-utf8-\xfe"} {
		for i := range 10 {
			r.msgs = append(r.msgs, sampleMsg(t, fmt.Sprintf(`{"v":1,"host":"%s","group":"it","ts":%q,"cpu":%d}`,
				host, r.ts(i), 10*i), key))
		}
		r.dead[key] = schemas.ReasonUnparsable
	}
	r.series("it-utf8-sentinel", "it", 0, 5, 10)
	r.publish()

	r.waitProcessed(ctx, a, "the sentinel host")
	r.checkDeadLetters(ctx, brokers)
	if err := a.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	r.checkStore(a)

	stop()
}

// hostileNames sends series of hosts and groups whose names stress every
// layer's escaping, and the first names over the length limit.
func (r *badInputRun) hostileNames() {
	hosts := []string{
		`it-dq"uote`, `it-sq'uote`, `it-back\slash`, "it-new\nline\r\ttab", "it-emoji-🚀-é",
		"it-nul\x00byte", `it-sql'); DROP TABLE steps; --`, "it-" + strings.Repeat("h", 250),
		strings.Repeat("é", 126) + "x", // 253 bytes in 127 runes
	}
	for _, h := range hosts {
		r.series(h, "it", 0, 5, 10)
	}
	r.series("it-long-group", strings.Repeat("g", 253), 0, 5, 10)
	r.series("it-hostile-group", `g"'\`+"\n🚀", 0, 5, 10)
	r.series("it-unknown-group", "it-no-such-group-in-config", 0, 5, 10)

	r.bad("it-bad-host-254", schemas.ReasonHost, fmt.Sprintf(`{"v":1,"host":%q,"ts":%q,"cpu":1}`,
		strings.Repeat("h", 254), r.ts(0)))
	r.bad("it-bad-host-empty", schemas.ReasonHost, fmt.Sprintf(`{"v":1,"host":"","ts":%q,"cpu":1}`, r.ts(0)))
	r.bad("it-bad-group-254", schemas.ReasonGroup, fmt.Sprintf(`{"v":1,"host":"x","group":%q,"ts":%q,"cpu":1}`,
		strings.Repeat("g", 254), r.ts(0)))
}

// cpuEdges sends the CPU values at and just past the limits.
func (r *badInputRun) cpuEdges() {
	for _, cpu := range []float64{0, 100, 200} {
		r.series(fmt.Sprintf("it-cpu-%g", cpu), "it", cpu, 0, 10)
	}
	r.bad("it-bad-cpu-over", schemas.ReasonCPU, fmt.Sprintf(`{"v":1,"host":"x","ts":%q,"cpu":200.0001}`, r.ts(0)))
	r.bad("it-bad-cpu-neg", schemas.ReasonCPU, fmt.Sprintf(`{"v":1,"host":"x","ts":%q,"cpu":-0.0001}`, r.ts(0)))
}

// badTimes sends times the stores cannot keep or the limits refuse: they
// must be dead-lettered, never reach the outbox.
func (r *badInputRun) badTimes() {
	for key, ts := range map[string]string{
		"it-bad-time-1900":   "1900-01-01T00:00:00Z",
		"it-bad-time-1850":   "1850-06-01T00:00:00Z",
		"it-bad-time-2300":   "2300-01-01T00:00:00Z",
		"it-bad-time-zero":   "0001-01-01T00:00:00Z",
		"it-bad-time-old":    time.Now().Add(-91 * 24 * time.Hour).UTC().Format(time.RFC3339),
		"it-bad-time-future": time.Now().Add(2 * time.Hour).UTC().Format(time.RFC3339),
	} {
		r.bad(key, schemas.ReasonTime, fmt.Sprintf(`{"v":1,"host":%q,"ts":%q,"cpu":1}`, key, ts))
	}
	r.bad("it-bad-time-missing", schemas.ReasonTime, `{"v":1,"host":"x","cpu":1}`)
}

// badPayloads sends payloads around the size limit and ones that are not
// a sample at all.
func (r *badInputRun) badPayloads() {
	max := r.cfg.Limits.MaxMessageBytes
	sample := fmt.Sprintf(`{"v":1,"host":"it-max-size","group":"it","ts":%q,"cpu":5}`, r.ts(0))
	padded := sample + strings.Repeat(" ", max-len(sample)) // JSON allows trailing blanks
	r.msgs = append(r.msgs, sampleMsg(r.t, padded, "it-max-size"))
	r.valid++

	r.bad("it-bad-oversized", schemas.ReasonOversized, padded+" ")
	r.bad("it-bad-empty", schemas.ReasonUnparsable, "")
	r.bad("it-bad-binary", schemas.ReasonUnparsable, "\x00\xff\xfe\x01binary\x80")
	r.bad("it-bad-array", schemas.ReasonUnparsable, "["+sample+"]")
	r.bad("it-bad-garbage", schemas.ReasonUnparsable, sample+" trailing")
	r.bad("it-bad-version", schemas.ReasonVersion, strings.Replace(sample, `"v":1`, `"v":2`, 1))
}

// duplicatesAndLate sends one series twice and a sample for a step its
// host has already closed.
func (r *badInputRun) duplicatesAndLate() {
	// The copy of each closed step is late; the copy of the open step is
	// averaged in with its original.
	r.series("it-duplicated", "it", 0, 5, 10)
	r.series("it-duplicated", "it", 0, 5, 10)
	r.dead["it-duplicated"] = schemas.ReasonLate

	r.series("it-late", "it", 0, 5, 10)
	r.bad("it-late", schemas.ReasonLate, fmt.Sprintf(`{"v":1,"host":"it-late","group":"it","ts":%q,"cpu":1}`, r.ts(2)))
	r.valid++ // a late sample passes decoding: the windower refuses it
}

// series queues n samples of host, one per step from r.base, with cpu
// (plus i*slope): n-1 steps close, the last stays open.
func (r *badInputRun) series(host, group string, cpu, slope float64, n int) {
	for i := range n {
		// json.Marshal, not %q: Go's quoting of a NUL byte is not JSON.
		payload := fmt.Sprintf(`{"v":1,"host":%s,"group":%s,"ts":%q,"cpu":%g}`,
			jsonString(host), jsonString(group), r.ts(i), cpu+float64(i)*slope)
		r.msgs = append(r.msgs, sampleMsg(r.t, payload, host))
	}
	r.valid += n
	r.steps[[2]string{host, group}] = n - 2 // the last two stay open (lateness one step)
}

// bad queues an invalid message keyed by key, expected in the dead-letter
// topic with reason.
func (r *badInputRun) bad(key, reason, payload string) {
	r.msgs = append(r.msgs, sampleMsg(r.t, payload, key))
	r.dead[key] = reason
	r.sent[key] = []byte(payload)
}

func jsonString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err) // a string always encodes
	}
	return string(b)
}

func (r *badInputRun) ts(step int) string {
	return r.base.Add(time.Duration(step) * r.cfg.Window.Step).Format(time.RFC3339)
}

func (r *badInputRun) publish() {
	r.t.Helper()
	if err := r.pub.Publish(r.cfg.Topics.Samples, r.msgs...); err != nil {
		r.t.Fatal(err)
	}
}

// checkStore compares what the tables hold, by host and group read back
// from the store (never quoted into SQL), with what was sent.
func (r *badInputRun) checkStore(a *app.App) {
	t := r.t
	db := r.cfg.Store.Database

	res, err := a.Store().Query(context.Background(), fmt.Sprintf(
		`SELECT host, group, countIf(NOT filled), count() FROM %s.steps FINAL GROUP BY host, group`, db))
	if err != nil {
		t.Fatal(err)
	}
	got := map[[2]string]int{}
	for _, row := range res.Rows {
		key := [2]string{fmt.Sprint(row[0]), fmt.Sprint(row[1])}
		got[key] = int(toInt(t, row[2]))
		if all := toInt(t, row[3]); all != int64(got[key]) {
			t.Errorf("%q: %d steps, %d of them filled; every step had a sample", key, all, all-int64(got[key]))
		}
	}
	for key, want := range r.steps {
		if got[key] != want {
			t.Errorf("host %q group %q: %d steps stored, want %d", key[0], key[1], got[key], want)
		}
	}
	for key := range got {
		if _, ok := r.steps[key]; !ok {
			t.Errorf("host %q group %q stored, but no valid sample named it", key[0], key[1])
		}
	}

	t.Logf("%d (host, group) pairs stored, %d expected", len(got), len(r.steps))

	forecasts := queryInt(t, a, fmt.Sprintf(`SELECT count() FROM %s.forecasts FINAL`, db))
	stepRows := queryInt(t, a, fmt.Sprintf(`SELECT count() FROM %s.steps FINAL`, db))
	if forecasts != stepRows*12 {
		t.Errorf("%d forecast rows, want %d (12 horizons x %d steps)", forecasts, stepRows*12, stepRows)
	}

	stepsBy := r.countByGroup(a, fmt.Sprintf(`SELECT group, uniqExact(ts) FROM %s.steps FINAL GROUP BY group`, db))
	decisionsBy := r.countByGroup(a, fmt.Sprintf(`SELECT group, count() FROM %s.decisions FINAL GROUP BY group`, db))
	for group, steps := range stepsBy {
		if decisionsBy[group] != steps {
			t.Errorf("group %q: %d decisions for %d steps, want one per step", group, decisionsBy[group], steps)
		}
	}
}

// countByGroup runs q, whose rows are (group, count).
func (r *badInputRun) countByGroup(a *app.App, q string) map[string]int64 {
	res, err := a.Store().Query(context.Background(), q)
	if err != nil {
		r.t.Fatalf("%s: %v", q, err)
	}
	out := map[string]int64{}
	for _, row := range res.Rows {
		out[fmt.Sprint(row[0])] = toInt(r.t, row[1])
	}
	return out
}

// waitProcessed waits until the pipeline has taken every valid sample
// queued so far, and on timeout says how far it got and what it counted.
func (r *badInputRun) waitProcessed(ctx context.Context, a *app.App, what string) {
	r.t.Helper()

	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	for a.Processed() < int64(r.valid) {
		select {
		case <-wctx.Done():
			r.t.Fatalf("pipeline took %d samples of %d waiting for %s; counters:\n%s",
				a.Processed(), r.valid, what, pipelineCounters(r.t, a))
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// pipelineCounters renders the app's scalora_ counters, for failures.
func pipelineCounters(t *testing.T, a *app.App) string {
	mfs, err := a.Registry().Gather()
	if err != nil {
		return err.Error()
	}
	var b strings.Builder
	for _, mf := range mfs {
		if !strings.HasPrefix(mf.GetName(), "scalora_") {
			continue
		}
		for _, m := range mf.GetMetric() {
			if m.GetCounter() == nil {
				continue
			}
			fmt.Fprintf(&b, "%s%v %g\n", mf.GetName(), m.GetLabel(), m.GetCounter().GetValue())
		}
	}
	return b.String()
}

// checkDeadLetters reads the dead-letter topic and checks that it holds
// exactly the expected keys, each with its reason and, byte for byte, the
// payload sent (which may be empty or binary).
func (r *badInputRun) checkDeadLetters(ctx context.Context, brokers []string) {
	t := r.t
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(r.cfg.Topics.DeadLetter),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()

	got := map[string]string{}
	deadline := time.Now().Add(10 * time.Second)
	for len(got) < len(r.dead) && time.Now().Before(deadline) {
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		fetches := cl.PollFetches(pctx)
		cancel()
		fetches.EachRecord(func(rec *kgo.Record) {
			key := string(rec.Key)
			for _, h := range rec.Headers {
				if h.Key == pipeline.ReasonMetadata {
					got[key] = string(h.Value)
				}
			}
			if want, ok := r.sent[key]; ok && string(rec.Value) != string(want) {
				t.Errorf("dead letter %s: payload %q, want %q as sent", key, rec.Value, want)
			}
		})
	}
	for key, reason := range r.dead {
		if got[key] != reason {
			t.Errorf("dead letter %s: reason %q, want %q", key, got[key], reason)
		}
	}
	for key, reason := range got {
		if _, ok := r.dead[key]; !ok {
			t.Errorf("unexpected dead letter %q with reason %q", key, reason)
		}
	}
}

// TestOneFutureSampleDoesNotBlackholeItsHost pins what one sample dated
// within limits.max_future (default 1h) does to its host: it moves the
// host's watermark up to an hour ahead, the gap from the host's last step
// is longer than max_gap_steps so the window resets, and every genuine
// sample of that host for the next hour is refused as late (with the
// default allowed lateness of 0). One skewed or forged sample silences a
// host for up to max_future.
func TestOneFutureSampleDoesNotBlackholeItsHost(t *testing.T) {
	brokers := kafkaBrokers(t)
	requireCHDB(t)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	cfg := testConfig(t, brokers)
	a, stop := startPipeline(t, ctx, cfg)

	pub, err := kafka.NewPublisher(kafka.PublisherConfig{Config: kafka.Config{Brokers: brokers}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()

	r := &badInputRun{
		t: t, pub: pub, cfg: cfg,
		base:  time.Now().Truncate(cfg.Window.Step).Add(-16 * cfg.Window.Step),
		dead:  map[string]string{},
		sent:  map[string][]byte{},
		steps: map[[2]string]int{},
	}
	const host = "it-skewed"
	r.series(host, "it", 10, 1, 10) // steps 0..9
	// 55 minutes ahead is beyond max_future (one step by default): the
	// sample is dead-lettered instead of moving the host's watermark.
	future := time.Now().Add(55 * time.Minute).UTC().Format(time.RFC3339)
	r.msgs = append(r.msgs, sampleMsg(t, fmt.Sprintf(`{"v":1,"host":%q,"group":"it","ts":%q,"cpu":99}`, host, future), host))
	for i := 10; i < 15; i++ { // genuine samples, all before now
		r.msgs = append(r.msgs, sampleMsg(t, fmt.Sprintf(`{"v":1,"host":%q,"group":"it","ts":%q,"cpu":%d}`,
			host, r.ts(i), 10+i), host))
		r.valid++
	}
	r.publish()

	r.waitProcessed(ctx, a, "every sample of the skewed host")
	if err := a.Flush(ctx); err != nil {
		t.Fatal(err)
	}

	// Steps 0..12 had genuine samples and were followed by one more than a
	// step (the allowed lateness) later.
	q := fmt.Sprintf(`SELECT count() FROM %s.steps FINAL WHERE ts < toDateTime64('%s', 3, 'UTC')`,
		cfg.Store.Database, time.Now().Add(time.Minute).UTC().Format(time.DateTime))
	if got := queryInt(t, a, q); got < 13 {
		t.Errorf("%d steps of the genuine samples stored, want 13: the samples after the one dated %s were refused", got, future)
	}

	stop()
}
