package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// newHTTPServer serves the process endpoints: /healthz (the process is up),
// /readyz (Kafka and the store answer) and /metrics (Prometheus). It
// returns nil when HTTP is turned off with addr "off".
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

	return &http.Server{
		Addr:              a.cfg.HTTP.Addr,
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
	}
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
