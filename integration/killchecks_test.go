package integration

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/scalora/scalora/pipeline/store/chdbstore"
)

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
	var examples []string
	for k, v := range ks.steps {
		g, ok := got[k]
		switch {
		case !ok:
			missing++
			examples = append(examples, "missing "+k)
		case g != v:
			wrong++
			examples = append(examples, fmt.Sprintf("%s stored %v, want %v", k, g, v))
		}
	}
	slices.Sort(examples)
	if len(examples) > 5 {
		examples = examples[:5]
	}
	extra := len(got) - (len(ks.steps) - missing)
	raw := one("SELECT count() FROM steps")
	t.Logf("steps: %d expected, %d stored (%d rows before deduplication), %d missing, %d extra, %d with another value",
		len(ks.steps), len(got), raw, missing, extra, wrong)
	if missing+extra+wrong > 0 {
		t.Errorf("stored steps differ from one uninterrupted run, for example %v", examples)
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
		where, err := st.Query(ctx, "SELECT host, min(ts), max(ts), count() FROM forecasts FINAL WHERE horizon = 1 AND NOT ready AND "+
			"ts >= (SELECT min(ts) FROM steps FINAL) + toIntervalMinute(115) GROUP BY host ORDER BY host LIMIT 5")
		if err != nil {
			t.Fatal(err)
		}
		t.Errorf("%d forecasts fell back after a restart instead of using the restored window; first hosts (host, from, to, count): %v",
			notReady, where.Rows)
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
