package agent

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/scalora/scalora/schemas"
)

var t0 = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

func TestBufferDropsOldestAndCounts(t *testing.T) {
	reg := prometheus.NewRegistry()
	a, err := New(Config{Host: "h", BufferSize: 3}, &HTTPSender{Endpoint: "http://unused"}, nil, reg)
	if err != nil {
		t.Fatal(err)
	}

	for i := range 5 {
		a.buf.push(schemas.Sample{Host: "h", CPU: float64(i)})
	}
	if got := value(a.metrics.dropped); got != 2 {
		t.Fatalf("dropped = %v, want 2", got)
	}

	// A failed batch goes back in front; with two new samples in the
	// meantime the buffer overflows and the oldest of the batch go first.
	batch := a.buf.take(2) // CPU 2, 3
	a.buf.push(schemas.Sample{CPU: 5})
	a.buf.push(schemas.Sample{CPU: 6})
	a.buf.requeue(batch)
	got := a.buf.take(10)
	want := []float64{4, 5, 6}
	if len(got) != len(want) {
		t.Fatalf("kept %d samples, want %d", len(got), len(want))
	}
	for i, s := range got {
		if s.CPU != want[i] {
			t.Fatalf("kept %v at %d, want %v (newest kept, oldest first)", s.CPU, i, want[i])
		}
	}
	if got := value(a.metrics.dropped); got != 4 {
		t.Fatalf("dropped = %v, want 4", got)
	}
}

// collector is an HTTP endpoint in the shape of POST /v1/samples; it
// answers 503 while down is set.
type collector struct {
	down atomic.Bool
	mu   sync.Mutex
	got  []schemas.Sample
	auth string
}

func (c *collector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/samples" {
		http.Error(w, "wrong route", http.StatusNotFound)
		return
	}
	if c.down.Load() {
		http.Error(w, "down", http.StatusServiceUnavailable)
		return
	}

	var batch []schemas.Sample
	if err := json.NewDecoder(r.Body).Decode(&batch); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	c.mu.Lock()
	c.got = append(c.got, batch...)
	c.auth = r.Header.Get("Authorization")
	c.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

func (c *collector) samples() []schemas.Sample {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]schemas.Sample(nil), c.got...)
}

// runAgent starts an agent reading fsys and returns its tick channel.
func runAgent(t *testing.T, cfg Config, s Sender, reg prometheus.Registerer) (*Agent, chan<- time.Time) {
	t.Helper()
	ticks := make(chan time.Time)
	cfg.Ticks = ticks
	cfg.RetryInitial, cfg.RetryMax = 5*time.Millisecond, 20*time.Millisecond
	a, err := New(cfg, s, nil, reg)
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	return a, ticks
}

func TestSendsToHTTPEndpoint(t *testing.T) {
	c := &collector{}
	srv := httptest.NewServer(c)
	defer srv.Close()

	_, ticks := runAgent(t, Config{Host: "web-1", Group: "web", Proc: busySnaps(20, 75, 40)},
		&HTTPSender{Endpoint: srv.URL + "/", APIKey: "k3y"}, nil)
	for i := range 3 {
		ticks <- t0.Add(time.Duration(i) * 10 * time.Second)
	}

	waitFor(t, "3 samples", func() bool { return len(c.samples()) == 3 })
	for i, s := range c.samples() {
		want := []float64{20, 75, 40}[i]
		if math.Abs(s.CPU-want) > 1e-9 || s.Host != "web-1" || s.Group != "web" || s.Cores != 2 ||
			s.Version != schemas.SampleVersion || !s.Time.Equal(t0.Add(time.Duration(i)*10*time.Second)) {
			t.Fatalf("sample %d = %+v, want cpu %v of web-1/web on 2 cores at +%ds", i, s, want, i*10)
		}
		if err := s.Validate(schemas.Limits{MaxBytes: 4096, MaxHostLen: 253, MaxCPU: 200,
			MaxPast: 1 << 62, MaxFuture: 1 << 62, Now: func() time.Time { return t0 }}); err != nil {
			t.Fatalf("sample %d does not pass the pipeline's validation: %v", i, err)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.auth != "Bearer k3y" {
		t.Fatalf("Authorization = %q, want the bearer key", c.auth)
	}
}

// While the endpoint is down the agent keeps sampling, keeps the newest
// BufferSize samples and counts the rest; once it is back they arrive in
// order.
func TestRecoversAfterEndpointComesBack(t *testing.T) {
	c := &collector{}
	c.down.Store(true)
	srv := httptest.NewServer(c)
	defer srv.Close()

	reg := prometheus.NewRegistry()
	a, ticks := runAgent(t, Config{Host: "db-1", BufferSize: 3, Proc: busySnaps(10, 20, 30, 40, 50)},
		&HTTPSender{Endpoint: srv.URL}, reg)
	for i := range 5 {
		ticks <- t0.Add(time.Duration(i) * time.Minute) // never blocks on the dead endpoint
	}
	waitFor(t, "a failed send", func() bool { return value(a.metrics.failures) > 0 })
	waitFor(t, "2 samples dropped", func() bool { return value(a.metrics.dropped) == 2 })

	c.down.Store(false)
	waitFor(t, "the buffer to drain", func() bool { return len(c.samples()) == 3 })

	for i, s := range c.samples() {
		if want := float64(30 + 10*i); math.Abs(s.CPU-want) > 1e-9 {
			t.Fatalf("sample %d cpu = %v, want %v (the 3 newest, in order)", i, s.CPU, want)
		}
	}
	if got := value(a.metrics.dropped); got != 2 {
		t.Fatalf("dropped = %v, want 2", got)
	}
	if got := value(a.metrics.sent); got != 3 {
		t.Fatalf("sent = %v, want 3", got)
	}
}

func TestRejectedBatchIsNotRetried(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		http.Error(w, "bad sample", http.StatusBadRequest)
	}))
	defer srv.Close()

	a, ticks := runAgent(t, Config{Host: "h", Proc: busySnaps(10)}, &HTTPSender{Endpoint: srv.URL}, nil)
	ticks <- t0
	waitFor(t, "the rejection", func() bool { return value(a.metrics.rejected) == 1 })

	time.Sleep(50 * time.Millisecond) // several retry intervals
	if n := calls.Load(); n != 1 {
		t.Fatalf("endpoint called %d times, want 1", n)
	}
}
