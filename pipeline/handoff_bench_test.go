package pipeline

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/pubsub/gochannel"

	"github.com/scalora/scalora/schemas"
)

// The two benchmarks below justify how stages hand records to each other
// inside one process (see the package doc). Both move one forecast record
// from one stage to the next; neither does the stage's work.

// BenchmarkHandoffDirectCall passes the typed record by a function call, as
// the Processor does.
func BenchmarkHandoffDirectCall(b *testing.B) {
	f := schemas.Forecast{Host: "h", Time: time.Unix(0, 0), Values: make([]float64, 12)}
	var sink float64
	next := func(f *schemas.Forecast) { sink += f.Values[0] }

	b.ReportAllocs()
	for b.Loop() {
		next(&f)
	}
	_ = sink
}

// BenchmarkHandoffGoChannel sends the same record through Watermill's
// in-memory gochannel pub/sub: encode, publish, receive, decode, ack.
func BenchmarkHandoffGoChannel(b *testing.B) {
	ps := gochannel.NewGoChannel(gochannel.Config{OutputChannelBuffer: 1024}, watermill.NopLogger{})
	defer ps.Close()

	msgs, err := ps.Subscribe(context.Background(), "forecasts")
	if err != nil {
		b.Fatal(err)
	}
	f := schemas.Forecast{Host: "h", Time: time.Unix(0, 0), Values: make([]float64, 12)}

	done := make(chan struct{})
	go func() {
		defer close(done)
		for m := range msgs {
			var got schemas.Forecast
			if err := json.Unmarshal(m.Payload, &got); err != nil {
				panic(err)
			}
			m.Ack()
		}
	}()

	b.ReportAllocs()
	for b.Loop() {
		payload, err := json.Marshal(f)
		if err != nil {
			b.Fatal(err)
		}
		if err := ps.Publish("forecasts", message.NewMessage(watermill.NewUUID(), payload)); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	_ = ps.Close()
	<-done
}
