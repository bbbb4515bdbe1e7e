package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/scalora/scalora/pipeline/kafka"
	"github.com/scalora/scalora/pipeline/store/libchdb"
)

// execute runs the scalora command line with args and returns its output.
func execute(t *testing.T, ctx context.Context, args ...string) (string, error) {
	t.Helper()
	cmd := newRootCmd()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	return out.String(), err
}

func TestVersionPrintsGoVersion(t *testing.T) {
	out, err := execute(t, context.Background(), "version")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "scalora ") || !strings.Contains(out, "go1.") {
		t.Fatalf("version printed %q", out)
	}
}

func TestEveryCommandHasHelp(t *testing.T) {
	for _, c := range []string{"run", "demo", "produce", "agent", "analyze", "migrate", "report", "query", "eval", "train", "version"} {
		out, err := execute(t, context.Background(), c, "--help")
		if err != nil || !strings.Contains(out, "Usage:") {
			t.Errorf("%s --help: err %v, output %q", c, err, out)
		}
	}
}

func TestProduceReplaysATraceKeyedByHost(t *testing.T) {
	emb, err := kafka.NewEmbedded(t.TempDir(), 2, "samples")
	if err != nil {
		t.Fatal(err)
	}
	defer emb.Close()

	trace := filepath.Join("traces", "ec2_cpu_utilization_24ae8d.csv")
	out, err := execute(t, context.Background(), "produce",
		"--brokers", strings.Join(emb.Addrs(), ","), "--topic", "samples",
		"--host", "web-7", "--group", "web", trace)
	if err != nil {
		t.Fatalf("produce: %v\n%s", err, out)
	}
	if !strings.Contains(out, "produced 4032 samples of host web-7") {
		t.Fatalf("produce printed %q", out)
	}

	cl, err := kgo.NewClient(kgo.SeedBrokers(emb.Addrs()...), kgo.ConsumeTopics("samples"))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	n := 0
	for n < 4032 && ctx.Err() == nil {
		cl.PollFetches(ctx).EachRecord(func(r *kgo.Record) {
			n++
			if string(r.Key) != "web-7" || !bytes.Contains(r.Value, []byte(`"group":"web"`)) {
				t.Fatalf("record key %q value %s", r.Key, r.Value)
			}
		})
	}
	if n != 4032 {
		t.Fatalf("consumed %d records, want 4032", n)
	}
}

func TestProduceRejectsAnUnreadableTraceWithItsLine(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(bad, []byte("timestamp,value\n2014-02-14 14:30:00,1\nnot a row\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := execute(t, context.Background(), "produce", "--brokers", "127.0.0.1:1", "--host", "h", bad)
	if err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("err = %v, want one naming line 3", err)
	}
}

func TestDemoEndsWithSavingsFromTheStore(t *testing.T) {
	if err := libchdb.Available(); err != nil {
		if os.Getenv("SCALORA_REQUIRE_CHDB") == "1" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	out, err := execute(t, ctx, "demo", "--duration", "2s")
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	for _, want := range []string{"Replayed 20160 samples", "lstm-h32-v1", "scale_down", "savings_usd", "m5.large"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}

	// The data stays in --data-dir for "scalora query" to read.
	dir := t.TempDir()
	if out, err := execute(t, ctx, "demo", "--duration", "1s", "--data-dir", dir); err != nil {
		t.Fatalf("demo --data-dir: %v\n%s", err, out)
	}
	out, err = execute(t, ctx, "query", "--data-dir", dir,
		"SELECT count() AS decisions FROM scalora.decisions FINAL")
	if err != nil || !strings.Contains(out, "decisions\n4030") {
		t.Fatalf("query after the demo: err %v, output %q", err, out)
	}
}
