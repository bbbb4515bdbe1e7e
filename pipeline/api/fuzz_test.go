package api

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzPostSamples checks that no body crashes the samples endpoint, that
// the answer is 200, 400 or 413, and that exactly the accepted samples
// are published.
func FuzzPostSamples(f *testing.F) {
	f.Add(`[{"v":1,"host":"h","ts":"2026-01-01T00:00:00Z","cpu":1}]`)
	f.Add(`{"v":1,"host":"h","ts":"2026-01-01T00:00:00Z","cpu":1}` + "\n{}\n")
	f.Add(`[{"v":1},`)
	f.Add("[1,\"x\",null,[]]")
	f.Add("\ufeff[]")

	fx := newFixture(f, nil)
	f.Fuzz(func(t *testing.T, body string) {
		fx.pub.msgs = nil
		rec := fx.do(t, "POST", "/v1/samples", strings.NewReader(body))
		switch rec.Code {
		case 200:
			var res SamplesResult
			if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
				t.Fatalf("answer is not JSON: %v", err)
			}
			if res.Accepted != len(fx.pub.published()) || res.Rejected != len(res.Rejections) {
				t.Fatalf("result %+v, %d published", res, len(fx.pub.published()))
			}
		case 400, 413:
			if n := len(fx.pub.published()); n != 0 {
				t.Fatalf("%d published with status %d", n, rec.Code)
			}
		default:
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	})
}
