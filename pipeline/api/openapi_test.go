package api

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
)

type route struct{ method, path string }

// routes walks the router: every method and path it serves.
func routes(t *testing.T, s *Server) []route {
	t.Helper()
	var out []route
	err := chi.Walk(s.Router(), func(method, path string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		out = append(out, route{method, strings.TrimSuffix(path, "/")})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestOpenAPIDocumentsExactlyTheRoutes(t *testing.T) {
	f := newFixture(t, nil)

	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	var documented []route
	for path, ops := range doc.Paths {
		for method := range ops {
			documented = append(documented, route{strings.ToUpper(method), path})
		}
	}

	served := routes(t, f.srv)
	for _, r := range served {
		if !slices.Contains(documented, r) {
			t.Errorf("%s %s is served but not documented", r.method, r.path)
		}
	}
	for _, r := range documented {
		if !slices.Contains(served, r) {
			t.Errorf("%s %s is documented but not served", r.method, r.path)
		}
	}
	if len(served) < 9 {
		t.Errorf("only %d routes walked: %v", len(served), served)
	}

	rec := f.do(t, "GET", "/openapi.json", nil)
	if rec.Code != http.StatusOK || rec.Body.Len() != len(OpenAPI) {
		t.Errorf("GET /openapi.json: %d, %d bytes", rec.Code, rec.Body.Len())
	}
}

func TestUnknownPathsAndMethodsAreProblems(t *testing.T) {
	f := newFixture(t, nil)
	problem(t, f.do(t, "GET", "/v1/nothing", nil), http.StatusNotFound)
	problem(t, f.do(t, "DELETE", "/v1/pricing", nil), http.StatusMethodNotAllowed)
}

func TestSchemaCheckRejectsAnswersThatDrift(t *testing.T) {
	doc, _ := jsonschemaUnmarshal(`{"type":"x","title":"t","status":200,"extra":1}`)
	if err := schema(t, "Problem").Validate(doc); err == nil {
		t.Error("a problem with status 200 and an extra field validated")
	}
}
