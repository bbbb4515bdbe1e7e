package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/scalora/scalora/pipeline/kafka"
	"github.com/scalora/scalora/schemas"
)

func sampleJSON(host string, cpu float64) string {
	return fmt.Sprintf(`{"v":1,"host":%q,"ts":%q,"cpu":%g}`, host,
		time.Now().Add(-time.Minute).UTC().Format(time.RFC3339), cpu)
}

func TestPostedSamplesArePublishedAndInvalidOnesNamed(t *testing.T) {
	f := newFixture(t, nil)
	body := "[" + strings.Join([]string{
		sampleJSON("h1", 10), `{"v":2,"host":"h1"}`, sampleJSON("h2", 30), sampleJSON("h3", -1), `"text"`,
	}, ",") + "]"

	rec := f.do(t, "POST", "/v1/samples", strings.NewReader(body))
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	checkSchema(t, rec.Body.Bytes(), "SamplesResult")
	var res SamplesResult
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	want := []Rejection{{Index: 1, Reason: schemas.ReasonVersion}, {Index: 3, Reason: schemas.ReasonCPU}, {Index: 4, Reason: schemas.ReasonUnparsable}}
	if res.Accepted != 2 || res.Rejected != 3 || len(res.Rejections) != 3 {
		t.Fatalf("result %+v", res)
	}
	for i, w := range want {
		if r := res.Rejections[i]; r.Index != w.Index || r.Reason != w.Reason || r.Detail == "" {
			t.Errorf("rejection %d = %+v, want index %d reason %s", i, r, w.Index, w.Reason)
		}
	}

	msgs := f.pub.published()
	if len(msgs) != 2 || msgs[0].Metadata.Get(kafka.KeyMetadata) != "h1" || msgs[1].Metadata.Get(kafka.KeyMetadata) != "h2" {
		t.Fatalf("published %d messages", len(msgs))
	}
	s, err := schemas.DecodeSample(msgs[1].Payload, schemas.DefaultLimits())
	if err != nil || s.Host != "h2" || s.CPU != 30 || s.Group != schemas.DefaultGroup {
		t.Errorf("published sample %+v, %v", s, err)
	}
}

func TestPostedNDJSONCountsNonBlankLines(t *testing.T) {
	f := newFixture(t, nil)
	body := sampleJSON("h1", 1) + "\n\n{not json\n" + sampleJSON("h1", 2) + "\n"
	rec := f.do(t, "POST", "/v1/samples", strings.NewReader(body), "Content-Type", "application/x-ndjson")
	var res SamplesResult
	_ = json.Unmarshal(rec.Body.Bytes(), &res)
	if rec.Code != 200 || res.Accepted != 2 || len(res.Rejections) != 1 || res.Rejections[0].Index != 1 {
		t.Errorf("%d %+v", rec.Code, res)
	}
	if n := len(f.pub.published()); n != 2 {
		t.Errorf("%d published", n)
	}
}

func TestOversizedOrMalformedSampleBodiesPublishNothing(t *testing.T) {
	f := newFixture(t, func(c *Config, _ *Deps) { c.MaxSamplesBytes = 1000 })

	big := "[" + strings.Repeat(sampleJSON("h1", 5)+",", 20) + sampleJSON("h1", 5) + "]"
	p := problem(t, f.do(t, "POST", "/v1/samples", strings.NewReader(big)), http.StatusRequestEntityTooLarge)
	if !strings.Contains(p.Detail, "1000 bytes") {
		t.Errorf("detail %q", p.Detail)
	}

	broken := "[" + sampleJSON("h1", 5) + ", {"
	problem(t, f.do(t, "POST", "/v1/samples", strings.NewReader(broken)), http.StatusBadRequest)

	if n := len(f.pub.published()); n != 0 {
		t.Errorf("%d samples published from rejected bodies", n)
	}
}

func TestSamplesAnswer503WhenKafkaIsDown(t *testing.T) {
	f := newFixture(t, nil)
	f.pub.fail = true
	problem(t, f.do(t, "POST", "/v1/samples", strings.NewReader("["+sampleJSON("h", 1)+"]")), http.StatusServiceUnavailable)
}
