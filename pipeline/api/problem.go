package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// problemBase prefixes the type URI of every problem this API answers.
const problemBase = "https://scalora.dev/problems/"

// Problem is an RFC 9457 problem details object.
type Problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail,omitempty"`
	Instance string `json:"instance,omitempty"`
}

// writeProblem answers a problem: kind names it ("unauthorized"), the
// title is the status text and detail says what to do.
func writeProblem(w http.ResponseWriter, r *http.Request, status int, kind, detail string) {
	p := Problem{
		Type: problemBase + kind, Title: http.StatusText(status), Status: status,
		Detail: detail, Instance: r.URL.Path,
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p)
}

// tooMany answers 429 with a Retry-After in whole seconds.
func tooMany(w http.ResponseWriter, r *http.Request, after time.Duration, detail string) {
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(after.Seconds()))))
	writeProblem(w, r, http.StatusTooManyRequests, "too-many-requests", detail)
}

// writeJSON answers v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// quote writes a caller-given name safely into a detail.
func quote(s string) string { return strconv.Quote(s) }
