package integration

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/scalora/scalora/cmd/scalora/traces"
	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/stages/window"
)

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
