package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

// hostLive answers the host's latest status: CPU, forecast, readiness and
// anomaly. Hosts are known once one of their steps has closed.
func (s *Server) hostLive(w http.ResponseWriter, r *http.Request) {
	name := chi.URLParam(r, "host")
	h, ok := s.deps.Live.Host(name)
	if !ok {
		writeProblem(w, r, http.StatusNotFound, "unknown-host", "no closed step of host "+quote(name)+" yet")
		return
	}
	if h.Forecast == nil {
		h.Forecast = []float64{}
	}
	writeJSON(w, http.StatusOK, h)
}

// groupLive answers the group's latest decision, its cost and the savings
// since the process started.
func (s *Server) groupLive(w http.ResponseWriter, r *http.Request) {
	name := chi.URLParam(r, "group")
	g, ok := s.deps.Live.Group(name)
	if !ok {
		writeProblem(w, r, http.StatusNotFound, "unknown-group", "no decision for group "+quote(name)+" yet")
		return
	}
	writeJSON(w, http.StatusOK, g)
}
