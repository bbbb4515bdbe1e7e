package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/scalora/scalora/pipeline/api"
)

// newHTTPServer serves the process endpoints: /healthz (the process is up),
// /readyz (Kafka and the store answer), /metrics (Prometheus), and the API
// (/v1/..., /openapi.json; see package pipeline/api). It returns nil when
// HTTP is turned off with addr "off".
//
// Reads and writes may take as long as api.request_timeout plus half a
// minute, since an upload of api.max_upload_bytes and its analysis share
// one request.
func (a *App) newHTTPServer() *http.Server {
	if a.cfg.HTTP.Addr == "off" {
		return nil
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", a.ready)
	mux.Handle("GET /metrics", promhttp.HandlerFor(a.reg, promhttp.HandlerOpts{Registry: a.reg}))
	a.mountAPI(mux)

	slack := 30 * time.Second
	return &http.Server{
		Addr:              a.cfg.HTTP.Addr,
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       a.cfg.API.RequestTimeout + slack,
		WriteTimeout:      a.cfg.API.RequestTimeout + slack,
	}
}

// mountAPI serves the API on mux. New has no way to fail here, so should
// the API not build (a price catalog that stopped loading) /v1 answers 503
// and the error is logged; health and metrics keep working.
func (a *App) mountAPI(mux *http.ServeMux) {
	srv, err := a.newAPI()
	if err != nil {
		a.log.Error("api unavailable", "err", err)
		mux.HandleFunc("/v1/", func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "api unavailable: see the server log", http.StatusServiceUnavailable)
		})
		return
	}
	mux.Handle("/v1/", srv.Handler())
	mux.Handle("GET /openapi.json", srv.Handler())
}

func (a *App) newAPI() (*api.Server, error) {
	return api.New(a.cfg.API, api.Deps{
		Publisher: a.pub, SamplesTopic: a.cfg.Topics.Samples, Limits: a.limits(),
		Live: a.live, Store: a.store, Database: a.cfg.Store.Database,
		Catalog: a.catalog, Groups: a.cfg.Decision, GroupsDir: filepath.Join(a.cfg.DataDir, "groups"),
		ApplyGroup: a.applyGroup(a.catalog),
		Log:        a.log,
	})
}

func (a *App) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()

	var errs []error
	if err := a.pub.Ping(ctx); err != nil {
		errs = append(errs, fmt.Errorf("kafka: %w", err))
	}
	if err := a.store.Ping(ctx); err != nil {
		errs = append(errs, fmt.Errorf("store: %w", err))
	}
	if err := errors.Join(errs...); err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}

// HTTPAddr waits until the health endpoint listens and returns its
// address, or returns "" when HTTP is off or ctx ends first.
func (a *App) HTTPAddr(ctx context.Context) string {
	if a.http == nil {
		return ""
	}
	select {
	case addr := <-a.httpAddr:
		a.httpAddr <- addr
		return addr
	case <-ctx.Done():
		return ""
	}
}

// serveHTTP listens and serves until the server is shut down; a failure to
// listen is sent on errc.
func (a *App) serveHTTP(errc chan<- error) {
	ln, err := net.Listen("tcp", a.http.Addr)
	if err != nil {
		errc <- fmt.Errorf("http listen: %w", err)
		return
	}
	a.log.Info("http listening", "addr", ln.Addr().String())
	a.httpAddr <- ln.Addr().String()
	if err := a.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		errc <- fmt.Errorf("http serve: %w", err)
	}
}
