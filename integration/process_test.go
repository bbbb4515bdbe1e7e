package integration

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

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

// waitProgress waits until at least atLeast records are committed, or limit
// passed, and returns the count it saw last.
func waitProgress(t *testing.T, broker, group, topic string, atLeast int64, limit time.Duration) int64 {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		got := committed(t, broker, group, topic)
		if got >= atLeast || time.Now().After(deadline) {
			return got
		}
		time.Sleep(100 * time.Millisecond)
	}
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
