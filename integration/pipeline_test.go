package integration

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/scalora/scalora/cmd/scalora/traces"
	"github.com/scalora/scalora/pipeline"
	"github.com/scalora/scalora/pipeline/app"
	"github.com/scalora/scalora/pipeline/kafka"
	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/schemas/trace"
)

// TestPipelineEndToEndOnRealTrace replays real CloudWatch CPU traces through
// the real broker and the whole pipeline into chDB, with malformed
// messages mixed in, and checks what the tables and the dead-letter topic
// hold.
func TestPipelineEndToEndOnRealTrace(t *testing.T) {
	brokers := kafkaBrokers(t)
	requireCHDB(t)
	series := realTraces(t,
		"nab/realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv",
		"nab/realAWSCloudwatch/ec2_cpu_utilization_53ea38.csv",
		"nab/realAWSCloudwatch/rds_cpu_utilization_cc0c53.csv",
	)
	const points = 600 // about two days of 5-minute steps per host

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	cfg := testConfig(t, brokers)
	a, stop := startPipeline(t, ctx, cfg)

	pub, err := kafka.NewPublisher(kafka.PublisherConfig{Config: kafka.Config{Brokers: brokers}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()

	want := map[string]int{} // closed real steps per host
	valid := 0
	for i, s := range series {
		pts := rebase(s.Points[:points], cfg.Window.Step)
		host := fmt.Sprintf("it-host-%d", i+1)
		want[host] = distinctSteps(pts, cfg.Window.Step) - 2 // the last two stay open (lateness one step)
		valid += len(pts)
		publishTrace(t, pub, cfg.Topics.Samples, host, pts)
	}
	bad := map[string]string{
		"it-bad-json":    schemas.ReasonUnparsable,
		"it-bad-cpu":     schemas.ReasonCPU,
		"it-bad-version": schemas.ReasonVersion,
	}
	publishBad(t, pub, cfg.Topics.Samples)

	waitFor(t, ctx, "pipeline to take every valid sample", func() bool { return a.Processed() >= int64(valid) })
	if err := a.Flush(ctx); err != nil {
		t.Fatal(err)
	}

	db := cfg.Store.Database
	for host, steps := range want {
		q := fmt.Sprintf(`SELECT countIf(NOT filled), count() FROM %s.steps FINAL WHERE host = '%s'`, db, host)
		real, all := queryInts2(t, a, q)
		if real != int64(steps) {
			t.Errorf("%s: %d real steps stored, want %d", host, real, steps)
		}
		q = fmt.Sprintf(`SELECT count() FROM %s.forecasts FINAL WHERE host = '%s'`, db, host)
		if got := queryInt(t, a, q); got != all*12 {
			t.Errorf("%s: %d forecast rows, want %d (12 horizons x %d steps)", host, got, all*12, all)
		}
		q = fmt.Sprintf(`SELECT countIf(model NOT IN ('last_value')) FROM %s.forecasts FINAL WHERE host = '%s' AND horizon = 1`, db, host)
		if got := queryInt(t, a, q); got < all-24 {
			t.Errorf("%s: %d LSTM forecasts of %d steps; every full window should use the model", host, got, all)
		}
		t.Logf("%s: %d real steps, %d stored steps", host, real, all)
	}

	groupSteps := queryInt(t, a, fmt.Sprintf(`SELECT uniqExact(ts) FROM %s.steps FINAL WHERE group = 'it'`, db))
	decisions := queryInt(t, a, fmt.Sprintf(`SELECT count() FROM %s.decisions FINAL WHERE group = 'it'`, db))
	costs := queryInt(t, a, fmt.Sprintf(`SELECT count() FROM %s.costs FINAL WHERE group = 'it'`, db))
	if decisions != groupSteps || costs != groupSteps {
		t.Errorf("group it: %d decisions and %d costs for %d steps, want one each per step", decisions, costs, groupSteps)
	}
	savings := queryFloat(t, a, fmt.Sprintf(`SELECT sum(savings) FROM %s.costs FINAL`, db))
	if savings <= 0 {
		t.Errorf("savings %.4f; 10 instances at these CPU levels should save money", savings)
	}
	t.Logf("group it: %d steps, %d decisions, savings $%.2f", groupSteps, decisions, savings)

	checkDeadLettersFrom(t, ctx, brokers, cfg.Topics, bad)

	stop()
}

// testConfig isolates one run: its own topics, group and database folder.
func testConfig(t *testing.T, brokers []string) app.Config {
	suffix := fmt.Sprintf("%d-%d", time.Now().UnixNano(), rand.IntN(1e6))
	var c app.Config
	c.DataDir = t.TempDir()
	c.HTTP.Addr = "off"
	c.Kafka.Brokers = brokers
	c.Kafka.ConsumerGroup = "it-" + suffix
	c.Kafka.CommitInterval = 200 * time.Millisecond
	c.Topics = pipeline.Topics{
		Samples: "it.samples." + suffix, Forecasts: "it.forecasts." + suffix,
		Anomalies: "it.anomalies." + suffix, Decisions: "it.decisions." + suffix,
		Savings: "it.savings." + suffix, DeadLetter: "it.deadletter." + suffix,
	}
	c.Window.Step = 5 * time.Minute
	c.SetDefaults()
	return c
}

// realTraces reads traces from ../shared/data; without that folder it
// reads the copies of the same NAB files bundled in the binary, so the test
// still runs on real data in a user's clone.
func realTraces(t *testing.T, rel ...string) []*trace.Series {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..", "shared", "data")

	var out []*trace.Series
	for _, r := range rel {
		s, err := trace.ReadFile(filepath.Join(root, r))
		if errors.Is(err, fs.ErrNotExist) {
			name := strings.TrimSuffix(filepath.Base(r), ".csv")
			t.Logf("%s not in ../shared/data; using the bundled copy", name)
			s, err = traces.Load(name)
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// sharedTraces returns the paths of traces in ../shared/data, or skips.
func sharedTraces(t *testing.T, rel ...string) []string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..", "shared", "data")
	var out []string
	for _, r := range rel {
		p := filepath.Join(root, r)
		if _, err := os.Stat(p); err != nil {
			t.Skipf("shared trace %s not found (%v): this test needs ../shared/data beside the repository", r, err)
		}
		out = append(out, p)
	}
	return out
}

// rebase shifts points so that the last lands in the current step, keeping
// their spacing: samples are live data, not years-old history.
func rebase(pts []trace.Point, step time.Duration) []trace.Point {
	shift := time.Now().Truncate(step).Sub(pts[len(pts)-1].Time.Truncate(step))
	out := make([]trace.Point, len(pts))
	for i, p := range pts {
		out[i] = trace.Point{Time: p.Time.Add(shift), CPU: p.CPU}
	}
	return out
}

func distinctSteps(pts []trace.Point, step time.Duration) int {
	seen := map[int64]bool{}
	for _, p := range pts {
		seen[p.Time.UnixNano()/int64(step)] = true
	}
	return len(seen)
}

func publishTrace(t *testing.T, pub message.Publisher, topic, host string, pts []trace.Point) {
	t.Helper()
	msgs := make([]*message.Message, 0, len(pts))
	for _, p := range pts {
		msgs = append(msgs, sampleMsg(t, fmt.Sprintf(`{"v":1,"host":%q,"group":"it","ts":%q,"cpu":%g}`,
			host, p.Time.Format(time.RFC3339), p.CPU), host))
	}
	if err := pub.Publish(topic, msgs...); err != nil {
		t.Fatal(err)
	}
}

// publishBad sends one malformed message per rejection reason the test
// expects in the dead-letter topic, keyed by the names of bad.
func publishBad(t *testing.T, pub message.Publisher, topic string) {
	t.Helper()
	msgs := []*message.Message{
		sampleMsg(t, `{"v":1,"host":"it-bad-json","ts":`, "it-bad-json"),
		sampleMsg(t, `{"v":1,"host":"it-bad-cpu","group":"it","ts":"2014-02-14T14:30:00Z","cpu":-5}`, "it-bad-cpu"),
		sampleMsg(t, `{"v":9,"host":"it-bad-version","group":"it","ts":"2014-02-14T14:30:00Z","cpu":5}`, "it-bad-version"),
	}
	if err := pub.Publish(topic, msgs...); err != nil {
		t.Fatal(err)
	}
}

func sampleMsg(t *testing.T, payload, key string) *message.Message {
	t.Helper()
	m := message.NewMessage(fmt.Sprintf("%s-%d", key, rand.Int64()), []byte(payload))
	m.Metadata.Set(kafka.KeyMetadata, key)
	return m
}

// checkDeadLetters reads the dead-letter topic and checks each expected
// message is there with its reason header, and nothing else is.
func checkDeadLetters(t *testing.T, ctx context.Context, brokers []string, topic string, want map[string]string) {
	t.Helper()
	checkDeadLettersFrom(t, ctx, brokers, pipeline.Topics{DeadLetter: topic}, want)
}

// checkDeadLettersFrom is checkDeadLetters that also checks each record
// names where it was read, when topics.Samples is set.
func checkDeadLettersFrom(t *testing.T, ctx context.Context, brokers []string, topics pipeline.Topics, want map[string]string) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(topics.DeadLetter),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()

	got := map[string]string{}
	deadline := time.Now().Add(30 * time.Second)
	for len(got) < len(want) && time.Now().Before(deadline) {
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		fetches := cl.PollFetches(pctx)
		cancel()
		fetches.EachRecord(func(r *kgo.Record) {
			headers := map[string]string{}
			for _, h := range r.Headers {
				headers[h.Key] = string(h.Value)
			}
			got[string(r.Key)] = headers[pipeline.ReasonMetadata]
			if topics.Samples != "" && (headers[pipeline.SourceTopicMetadata] != topics.Samples ||
				headers[pipeline.SourcePartitionMetadata] == "" || headers[pipeline.SourceOffsetMetadata] == "") {
				t.Errorf("dead letter %s lacks its source position: %v", r.Key, headers)
			}
			if len(r.Value) == 0 {
				t.Errorf("dead letter %s lost its original payload", r.Key)
			}
		})
	}
	for key, reason := range want {
		if got[key] != reason {
			t.Errorf("dead letter %s: reason %q, want %q", key, got[key], reason)
		}
	}
	if len(got) != len(want) {
		t.Errorf("dead-letter topic holds %v, want exactly %v", got, want)
	}
}

func waitFor(t *testing.T, ctx context.Context, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
