package dashboards

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/scalora/scalora/cmd/scalora/traces"
	"github.com/scalora/scalora/pipeline/app"
	"github.com/scalora/scalora/pipeline/kafka"
	"github.com/scalora/scalora/pipeline/store"
	"github.com/scalora/scalora/pipeline/store/libchdb"
	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/stages/decision"
)

// fillWithPipeline runs the embedded pipeline (in-process Kafka, chDB) on
// the first points of three bundled real CloudWatch traces, one host each
// in group "web", with event times ending now, and returns the running
// app, whose store holds the results. The app is stopped at cleanup.
func fillWithPipeline(t *testing.T, points int) *app.App {
	t.Helper()
	if err := libchdb.Available(); err != nil {
		if os.Getenv("SCALORA_REQUIRE_CHDB") == "1" {
			t.Fatal(err)
		}
		t.Skipf("chDB library absent (%v); run deploy/setup-chdb.sh and set CHDB_LIB_PATH", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)

	var cfg app.Config
	cfg.DataDir = t.TempDir()
	cfg.HTTP.Addr = "off"
	cfg.Kafka.EmbeddedPort = -1
	cfg.Window.Step = 5 * time.Minute
	cfg.Kafka.CommitInterval = 200 * time.Millisecond
	cfg.SetDefaults()
	g := cfg.Decision.Default
	g.Name, g.Instances = "web", 10
	cfg.Decision.Groups = map[string]decision.GroupConfig{"web": g}

	a, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- a.Run(runCtx) }()
	t.Cleanup(func() {
		stop()
		<-done
	})

	pub, err := kafka.NewPublisher(kafka.PublisherConfig{Config: kafka.Config{Brokers: a.Brokers()}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()

	end := time.Now().UTC().Truncate(cfg.Window.Step)
	sent := 0
	for h, name := range []string{"ec2_cpu_utilization_24ae8d", "ec2_cpu_utilization_53ea38", "ec2_cpu_utilization_825cc2"} {
		s, err := traces.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		msgs := make([]*message.Message, 0, points)
		for i, p := range s.Points[:points] {
			smp := schemas.Sample{
				Version: schemas.SampleVersion, Host: fmt.Sprintf("web-%d", h+1), Group: "web",
				Time: end.Add(-time.Duration(points-i) * cfg.Window.Step), CPU: p.CPU,
			}
			// A runaway process on web-1 near the end, so that the anomaly
			// panels and annotations have a detection to show whatever the
			// detector's threshold.
			if h == 0 && i >= points-150 && i < points-140 {
				smp.CPU = 100
			}
			payload, err := json.Marshal(smp)
			if err != nil {
				t.Fatal(err)
			}
			m := message.NewMessage(fmt.Sprintf("%s/%d", smp.Host, i), payload)
			m.Metadata.Set(kafka.KeyMetadata, smp.Host)
			msgs = append(msgs, m)
		}
		if err := pub.Publish(cfg.Topics.Samples, msgs...); err != nil {
			t.Fatal(err)
		}
		sent += len(msgs)
	}

	for a.Processed() < int64(sent) {
		if ctx.Err() != nil {
			t.Fatalf("pipeline took %d of %d samples", a.Processed(), sent)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := a.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestEveryPanelQueryRunsOnPipelineData expands each panel's and
// annotation's macros for the range the pipeline's data covers and runs
// it on chDB: it must succeed, return the columns the panel reads, and
// return rows.
//
// The pipeline writes a missed opportunity only when its interval ends,
// which a short trace need not produce, so the test writes two rows into
// missed_opportunities by hand first; everything else comes from the
// pipeline.
func TestEveryPanelQueryRunsOnPipelineData(t *testing.T) {
	a := fillWithPipeline(t, 1200)
	s := a.Store()

	mustQuery(t, s, `INSERT INTO scalora.missed_opportunities
		(group, start, end, provider, instance_type, removable, instance_hours, dollars, reason) VALUES
		('web', now64(3) - INTERVAL 3 HOUR, now64(3) - INTERVAL 2 HOUR, 'aws', 'm5.large', 2, 2, 0.192, 'hand row'),
		('web', now64(3) - INTERVAL 6 HOUR, now64(3) - INTERVAL 4 HOUR, 'aws', 'm5.large', 3, 6, 0.576, 'hand row')`)

	// The range covers every event time and every insert time.
	first := mustQuery(t, s, "SELECT toUnixTimestamp(min(ts)) FROM scalora.steps").Rows[0][0].(uint32)
	host := mustQuery(t, s, `SELECT host FROM scalora.anomalies FINAL
		GROUP BY host ORDER BY countIf(anomalous) DESC, host LIMIT 1`).Rows[0][0].(string)
	r := Range{
		From:     time.Unix(int64(first), 0).UTC(),
		To:       time.Now().UTC().Add(time.Hour),
		Interval: 30 * time.Minute,
		Vars:     map[string]string{"host": host},
	}

	hosts := mustQuery(t, s, hostVariableSQL)
	if len(hosts.Rows) != 3 {
		t.Errorf("host variable lists %v, want the 3 hosts", hosts.Rows)
	}

	queries := 0
	for _, b := range Boards() {
		for _, an := range b.Annotations {
			checkQuery(t, s, r, b.UID+" / annotation "+an.Name, an.SQL, an.Columns)
			queries++
		}
		for _, p := range b.Panels {
			for _, tg := range p.Targets {
				checkQuery(t, s, r, b.UID+" / "+p.Title+" / "+tg.RefID, tg.SQL, tg.Columns)
				queries++
			}
		}
	}
	t.Logf("%d queries ran on pipeline data from %s to %s (host %s)", queries, r.From, r.To, host)
}

func checkQuery(t *testing.T, s store.Store, r Range, name, sql string, cols []string) {
	t.Helper()
	q, err := Expand(sql, r)
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	res, err := s.Query(context.Background(), q)
	if err != nil {
		t.Errorf("%s: %v\n%s", name, err, q)
		return
	}
	if strings.Join(res.Columns, ",") != strings.Join(cols, ",") {
		t.Errorf("%s: columns %v, want %v", name, res.Columns, cols)
	}
	if len(res.Rows) == 0 {
		t.Errorf("%s: no rows\n%s", name, q)
	}
}

func mustQuery(t *testing.T, s store.Store, q string) *store.Result {
	t.Helper()
	res, err := s.Query(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return res
}
