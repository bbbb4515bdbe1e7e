package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/scalora/scalora/pipeline"
	"github.com/scalora/scalora/pipeline/store"
	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/stages/cost"
	"github.com/scalora/scalora/stages/decision"
)

const testKey = "s3cret-key"

// fakePublisher records what is published, or fails when told to.
type fakePublisher struct {
	mu   sync.Mutex
	msgs []*message.Message
	fail bool
}

func (p *fakePublisher) Publish(_ string, msgs ...*message.Message) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fail {
		return errors.New("broker down")
	}
	p.msgs = append(p.msgs, msgs...)
	return nil
}

func (p *fakePublisher) published() []*message.Message {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]*message.Message(nil), p.msgs...)
}

// fakeStore answers Query with fixed rows and records the statement; the
// other methods are not used by the API.
type fakeStore struct {
	store.Store
	rows  [][]any
	query string
}

func (s *fakeStore) Query(_ context.Context, q string) (*store.Result, error) {
	s.query = q
	return &store.Result{Rows: s.rows}, nil
}

type fixture struct {
	srv   *Server
	pub   *fakePublisher
	store *fakeStore
	dir   string
}

func newFixture(t testing.TB, mod func(*Config, *Deps)) *fixture {
	t.Helper()
	t.Setenv(EnvKeys, "")
	cat, err := cost.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{pub: &fakePublisher{}, store: &fakeStore{}, dir: t.TempDir()}
	cfg := Config{Keys: []string{testKey}, Addr: "0.0.0.0:8080"}
	d := Deps{
		Publisher: f.pub, SamplesTopic: "samples", Limits: schemas.DefaultLimits(),
		Live: pipeline.NewLive(), Store: f.store, Database: "scalora", Catalog: cat,
		Groups: decision.Config{Groups: map[string]decision.GroupConfig{
			"web": {Provider: "gcp", Instances: 4},
		}},
		GroupsDir: filepath.Join(f.dir, "groups"),
	}
	if mod != nil {
		mod(&cfg, &d)
	}
	f.srv, err = New(cfg, d)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// do sends a request with the test key and returns the recorded answer.
func (f *fixture) do(t *testing.T, method, target string, body io.Reader, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, body)
	req.Header.Set("Authorization", "Bearer "+testKey)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(rec, req)
	return rec
}

// schema compiles one schema of the OpenAPI document's components.
func schema(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(OpenAPI))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("mem:///openapi.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("mem:///openapi.json#/components/schemas/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// checkSchema fails unless body validates against the named schema.
func checkSchema(t *testing.T, body []byte, name string) {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s: not JSON: %v", name, err)
	}
	if err := schema(t, name).Validate(v); err != nil {
		t.Errorf("answer does not match schema %s: %v\n%s", name, err, body)
	}
}

// problem decodes a problem answer and checks its status and schema.
func problem(t *testing.T, rec *httptest.ResponseRecorder, status int) Problem {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d: %s", rec.Code, status, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("content type %q", ct)
	}
	checkSchema(t, rec.Body.Bytes(), "Problem")
	var p Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func jsonschemaUnmarshal(s string) (any, error) {
	return jsonschema.UnmarshalJSON(strings.NewReader(s))
}
