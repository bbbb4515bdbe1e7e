package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/go-chi/chi/v5"

	"github.com/scalora/scalora/pipeline"
	"github.com/scalora/scalora/pipeline/store"
	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/stages/cost"
	"github.com/scalora/scalora/stages/decision"
)

// Publisher writes messages to a topic; *kafka.Publisher is one. Publish
// must be safe for concurrent use.
type Publisher interface {
	Publish(topic string, msgs ...*message.Message) error
}

// Deps are the parts of the process the API reads and writes. The API
// does not own them and closes none.
type Deps struct {
	// Publisher and SamplesTopic receive the samples of POST /v1/samples.
	Publisher    Publisher
	SamplesTopic string
	// Limits validate posted samples, as the pipeline validates Kafka input.
	Limits schemas.Limits

	Live     *pipeline.Live
	Store    store.Store
	Database string // the store's database, for the savings report

	Catalog *cost.Catalog
	// Groups is the decision configuration the process started with.
	Groups decision.Config
	// GroupsDir holds the group configurations written by PUT
	// /v1/groups/{group}/config, one JSON file per group.
	GroupsDir string
	// ApplyGroup, when set, applies a validated group configuration to the
	// running stages after it is stored; nil means "at the next start".
	ApplyGroup func(decision.GroupConfig) error

	Log *slog.Logger
}

// Server is the API. Its handler is safe for concurrent use.
type Server struct {
	cfg      Config
	deps     Deps
	log      *slog.Logger
	auth     *authenticator
	analyses chan struct{} // a slot per running analysis
	groups   *groupFiles
	router   chi.Router
}

// New builds the API from cfg (defaults set here) and the process's parts.
// With no keys it logs once that /v1 is open, which Validate allows on
// localhost only.
func New(cfg Config, d Deps) (*Server, error) {
	cfg.SetDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if d.Publisher == nil || d.Live == nil || d.Store == nil || d.Catalog == nil || d.GroupsDir == "" {
		return nil, errors.New("api: publisher, live, store, catalog and groups dir are required")
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}

	s := &Server{
		cfg: cfg, deps: d, log: d.Log,
		auth:     newAuthenticator(cfg.Keys),
		analyses: make(chan struct{}, cfg.MaxConcurrentAnalyses),
		groups:   &groupFiles{dir: d.GroupsDir, base: d.Groups},
	}
	if s.auth.open() {
		s.log.Warn("no API keys: /v1 open on localhost only", "addr", cfg.Addr)
	} else {
		s.log.Info("api keys configured", "count", len(cfg.Keys))
	}
	s.router = s.routes()
	return s, nil
}

// Handler serves /v1/... and /openapi.json.
func (s *Server) Handler() http.Handler { return s.router }

// Router is the chi router, for walking the routes.
func (s *Server) Router() chi.Router { return s.router }

func (s *Server) routes() chi.Router {
	r := chi.NewRouter()
	r.Use(s.recoverer)
	r.Get("/openapi.json", serveOpenAPI)

	r.Route("/v1", func(r chi.Router) {
		r.Use(s.auth.middleware, s.timeout)
		r.Post("/samples", s.postSamples)
		r.Post("/analyze", s.postAnalyze)
		r.Get("/hosts/{host}/live", s.hostLive)
		r.Get("/groups/{group}/live", s.groupLive)
		r.Get("/groups/{group}/config", s.getGroupConfig)
		r.Put("/groups/{group}/config", s.putGroupConfig)
		r.Get("/pricing", s.pricing)
		r.Get("/reports/savings", s.savings)
	})

	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, r, http.StatusNotFound, "not-found", "no such endpoint; see /openapi.json")
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, r, http.StatusMethodNotAllowed, "method-not-allowed", r.Method+" is not allowed here")
	})
	return r
}

// timeout gives every request a deadline of RequestTimeout; handlers
// that block (store queries, analyses) answer 503 when it passes.
func (s *Server) timeout(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.RequestTimeout)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// recoverer turns a handler's panic into a 500 problem and one log line,
// so that no request takes the process down.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("api handler panicked", "path", r.URL.Path, "panic", fmt.Sprint(v))
				writeProblem(w, r, http.StatusInternalServerError, "internal", "internal error; see the server log")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// retryAfter is what a 429 for a busy analysis slot suggests waiting.
const retryAfter = 5 * time.Second
