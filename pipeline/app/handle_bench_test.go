package app

import (
	"context"
	"log/slog"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/scalora/scalora/pipeline"
	"github.com/scalora/scalora/pipeline/store"
	"github.com/scalora/scalora/schemas"
)

// Shape of the stream the per-sample benchmarks replay: benchHosts hosts in
// benchGroups groups, each sending a sample every benchEvery, so that one
// sample in six closes a step of the default one-minute window. The chain
// is first run for benchWarmSteps steps, which takes every host past the
// forecast's full window (24 steps) and the anomaly stage's first fit (64
// steps of history), so the timed samples are steady state.
const (
	benchHosts     = 500
	benchGroups    = 20
	benchEvery     = 10 * time.Second
	benchWarmSteps = 100
)

// BenchmarkHandle drives Handler.Handle with one sample per iteration, as
// the router does for the samples topic: decode, the whole default chain,
// and the outbox, which writes inline every FlushRows records (to a store
// and a publisher that discard, so only the outbox's own work is timed).
// Messages do not come from Kafka, so every host is in shard 0 and no
// latency is observed. Run with -benchmem; -memprofile shows what
// allocates per sample.
func BenchmarkHandle(b *testing.B) {
	st := newBenchStream(b)
	outbox, err := pipeline.NewOutbox(pipeline.OutboxConfig{}, discardStore{}, discardPublisher{}, benchTopics(),
		slog.New(slog.DiscardHandler), nil)
	if err != nil {
		b.Fatal(err)
	}
	h := pipeline.NewHandler(st.proc, outbox, st.limits())
	msg := message.NewMessage("bench", nil)

	handle := func() {
		msg.Payload = st.next()
		if err := h.Handle(msg); err != nil {
			b.Fatal(err)
		}
	}
	for range benchWarmSteps * benchHosts * int(time.Minute/benchEvery) {
		handle()
	}
	if err := outbox.Flush(context.Background()); err != nil {
		b.Fatal(err)
	}

	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		handle()
	}
}

// BenchmarkProcess is BenchmarkHandle without the outbox: it decodes the
// sample and runs it through Processor.Process into a reused batch.
func BenchmarkProcess(b *testing.B) {
	st := newBenchStream(b)
	lim := st.limits()
	var out store.Batch

	process := func() {
		s, err := schemas.DecodeSample(st.next(), lim)
		if err != nil {
			b.Fatal(err)
		}
		if err := st.proc.Process(s, &out); err != nil {
			b.Fatal(err)
		}
		out.Reset()
	}
	for range benchWarmSteps * benchHosts * int(time.Minute/benchEvery) {
		process()
	}

	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		process()
	}
}

// benchStream makes the samples of the benchmarks' stream, in time order,
// and holds the chain they go through.
type benchStream struct {
	proc   *pipeline.Processor
	hosts  []string
	groups []string
	start  time.Time
	n      int
	buf    []byte
}

func newBenchStream(b *testing.B) *benchStream {
	b.Helper()
	var c Config
	c.SetDefaults()
	cat, err := loadCatalog("")
	if err != nil {
		b.Fatal(err)
	}
	stages, err := buildStages(c, cat, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	proc, err := pipeline.NewProcessor(stages, pipeline.NewLive(), nil)
	if err != nil {
		b.Fatal(err)
	}

	st := &benchStream{proc: proc, start: time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)}
	for h := range benchHosts {
		st.hosts = append(st.hosts, "web-"+strconv.Itoa(h)+".prod.example.com")
	}
	for g := range benchGroups {
		st.groups = append(st.groups, "group-"+strconv.Itoa(g))
	}
	return st
}

// now is the time of the next sample: the stream's clock.
func (st *benchStream) now() time.Time {
	return st.start.Add(time.Duration(st.n/benchHosts) * benchEvery)
}

// limits are the default limits, measured against the stream's clock.
func (st *benchStream) limits() schemas.Limits {
	lim := schemas.DefaultLimits()
	lim.Now = st.now
	return lim
}

// next encodes the next sample (all hosts in turn, then the next round)
// into a buffer reused between calls, as the producer would send it.
func (st *benchStream) next() []byte {
	h, round := st.n%benchHosts, st.n/benchHosts
	ts := st.now()
	st.n++

	cpu := 40 + 25*math.Sin(float64(round)/30+float64(h)) + float64((h*7+round*13)%11)
	b := append(st.buf[:0], `{"v":1,"host":"`...)
	b = append(b, st.hosts[h]...)
	b = append(b, `","group":"`...)
	b = append(b, st.groups[h%benchGroups]...)
	b = append(b, `","ts":"`...)
	b = ts.AppendFormat(b, time.RFC3339)
	b = append(b, `","cpu":`...)
	b = strconv.AppendFloat(b, math.Round(cpu*100)/100, 'f', -1, 64)
	b = append(b, `,"cores":8}`...)
	st.buf = b
	return b
}

func benchTopics() pipeline.Topics {
	var t pipeline.Topics
	t.SetDefaults()
	return t
}

// discardStore is a store.Store whose writes succeed and keep nothing; its
// other methods are not called by the Outbox's write path.
type discardStore struct{ store.Store }

func (discardStore) Write(context.Context, *store.Batch) error { return nil }

// discardPublisher publishes nowhere.
type discardPublisher struct{}

func (discardPublisher) Publish(string, ...*message.Message) error { return nil }
func (discardPublisher) Close() error                              { return nil }
