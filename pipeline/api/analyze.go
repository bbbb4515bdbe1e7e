package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/scalora/scalora/schemas/trace"
	"github.com/scalora/scalora/stages/decision"
	"github.com/scalora/scalora/stages/simulate"
	"github.com/scalora/scalora/stages/simulate/report"
)

// postAnalyze analyses an uploaded trace exactly as "scalora analyze
// --format json" does (both call simulate.Analyze); ?format=html answers
// the page of --format html instead. At most
// MaxConcurrentAnalyses run at once; a request beyond that gets 429 at
// once rather than waiting.
//
// It uses the built-in forecast model, as the command does without
// --model, not the process's forecast.model.
func (s *Server) postAnalyze(w http.ResponseWriter, r *http.Request) {
	opts, err := analyzeOptions(r)
	if err != nil {
		writeProblem(w, r, http.StatusBadRequest, "invalid-parameter", err.Error())
		return
	}
	format := r.URL.Query().Get("format")
	if format != "" && format != "json" && format != "html" {
		writeProblem(w, r, http.StatusBadRequest, "invalid-parameter", "format "+quote(format)+": want json or html")
		return
	}

	select {
	case s.analyses <- struct{}{}:
	default:
		tooMany(w, r, retryAfter, fmt.Sprintf("%d analyses are running (api.max_concurrent_analyses); retry later", cap(s.analyses)))
		return
	}
	released := false
	release := func() {
		if !released {
			released = true
			<-s.analyses
		}
	}
	defer release()

	series, err := readUpload(w, r, s.cfg.MaxUploadBytes)
	if err != nil {
		s.uploadProblem(w, r, err)
		return
	}

	// The simulation takes no context: run it aside, and on timeout answer
	// at once while it finishes and frees its slot on its own.
	type result struct {
		rep simulate.Report
		err error
	}
	done := make(chan result, 1)
	released = true // the goroutine releases the slot
	go func() {
		defer func() { <-s.analyses }()
		defer func() {
			if v := recover(); v != nil {
				done <- result{err: fmt.Errorf("analysis panicked: %v", v)}
			}
		}()
		rep, err := simulate.Analyze(series, opts)
		done <- result{rep, err}
	}()

	select {
	case res := <-done:
		if res.err != nil {
			s.analysisProblem(w, r, res.err)
			return
		}
		if format == "html" {
			s.writeHTML(w, r, res.rep)
			return
		}
		writeJSON(w, http.StatusOK, res.rep)
	case <-r.Context().Done():
		if errors.Is(r.Context().Err(), context.DeadlineExceeded) {
			writeProblem(w, r, http.StatusServiceUnavailable, "timeout",
				fmt.Sprintf("the analysis took longer than %s (api.request_timeout)", s.cfg.RequestTimeout))
		}
	}
}

// writeHTML answers the report's self-contained page, rendered whole
// before the first byte is sent so that an error is still a problem.
func (s *Server) writeHTML(w http.ResponseWriter, r *http.Request, rep simulate.Report) {
	var page bytes.Buffer
	if err := report.RenderHTML(&page, rep); err != nil {
		s.log.Error("render analysis page failed", "err", err)
		writeProblem(w, r, http.StatusInternalServerError, "internal", "the report page could not be rendered")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = page.WriteTo(w)
}

// analyzeOptions reads the query parameters, named as the command's flags
// with underscores: instances, provider, region, instance_type,
// cost_per_hour, step.
func analyzeOptions(r *http.Request) (simulate.AnalyzeOptions, error) {
	q := r.URL.Query()
	o := simulate.AnalyzeOptions{
		Provider: q.Get("provider"), Region: q.Get("region"), InstanceType: q.Get("instance_type"),
		Instances: decision.DefaultInstances,
	}
	if v := q.Get("instances"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return o, fmt.Errorf("instances %s: want a whole number of at least 1", quote(v))
		}
		o.Instances = n
	}
	if v := q.Get("cost_per_hour"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || !(f >= 0) || f > 1e6 {
			return o, fmt.Errorf("cost_per_hour %s: want a non-negative number of USD", quote(v))
		}
		o.CostPerHour = f
	}
	if v := q.Get("step"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second {
			return o, fmt.Errorf("step %s: want a duration of at least 1s, like 5m", quote(v))
		}
		o.Step = d
	}
	return o, nil
}

func (s *Server) uploadProblem(w http.ResponseWriter, r *http.Request, err error) {
	var pe *trace.ParseError
	switch {
	case tooLarge(err):
		writeProblem(w, r, http.StatusRequestEntityTooLarge, "too-large",
			fmt.Sprintf("the upload exceeds %d bytes (api.max_upload_bytes)", s.cfg.MaxUploadBytes))
	case errors.As(err, &pe), errors.Is(err, trace.ErrUnknownFormat), errors.Is(err, trace.ErrEmpty),
		errors.Is(err, trace.ErrTooLarge), errors.Is(err, errNoFile):
		writeProblem(w, r, http.StatusBadRequest, "malformed-upload", err.Error())
	default:
		writeProblem(w, r, http.StatusBadRequest, "malformed-upload", "read upload: "+err.Error())
	}
}

// analysisProblem maps what the simulation refuses (a short trace, an
// unknown region or type, an invalid group) to 422 and the rest to 500.
func (s *Server) analysisProblem(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, simulate.ErrShortTrace) || errors.Is(err, simulate.ErrInvalidConfig) ||
		errors.Is(err, decision.ErrInvalidConfig) || isPriceError(err) {
		writeProblem(w, r, http.StatusUnprocessableEntity, "analysis-refused", err.Error())
		return
	}
	s.log.Error("analysis failed", "err", err)
	writeProblem(w, r, http.StatusInternalServerError, "internal", "the analysis failed; see the server log")
}
