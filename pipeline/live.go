package pipeline

import (
	"sort"
	"sync"
	"time"

	"github.com/scalora/scalora/schemas"
)

// HostStatus is what is known now about one host.
type HostStatus struct {
	Host         string    `json:"host"`
	Group        string    `json:"group"`
	Time         time.Time `json:"ts"` // start of the last closed step
	CPU          float64   `json:"cpu"`
	PredictedCPU float64   `json:"predicted_cpu"` // forecast for the next step
	Forecast     []float64 `json:"forecast"`
	Model        string    `json:"model"`
	Ready        bool      `json:"ready"`
	Reason       string    `json:"reason,omitempty"`
	AnomalyScore float64   `json:"anomaly_score"`
	Anomalous    bool      `json:"anomalous"`
	AnomalyKind  string    `json:"anomaly_kind,omitempty"`
	// LateSamples and DuplicateSamples count, since the process started,
	// the host's samples sent to the dead-letter topic as late and those
	// dropped as exact duplicates.
	LateSamples      uint64 `json:"late_samples"`
	DuplicateSamples uint64 `json:"duplicate_samples"`

	// ForecastError1 is the absolute error of the one-step forecast of the
	// last closed step, in CPU points; ForecastMAE1 the host's rolling mean
	// of it (exponential, weight 1/32 per step: about the last half hour
	// at 1-minute steps); ForecastErrors how many went into it.
	ForecastError1 float64 `json:"forecast_error_1"`
	ForecastMAE1   float64 `json:"forecast_mae_1"`
	ForecastErrors uint64  `json:"forecast_errors"`
}

// maeWeight is the weight of the newest error in ForecastMAE1.
const maeWeight = 1.0 / 32

// GroupStatus is what is known now about one group.
type GroupStatus struct {
	Group        string           `json:"group"`
	Decision     schemas.Decision `json:"decision"`
	Cost         schemas.Cost     `json:"cost"`
	SavingsSoFar float64          `json:"savings_so_far"`
}

// Live keeps the latest status of every host and group for the live table,
// the API and the demo. It is safe for concurrent use; a nil *Live ignores
// updates.
//
// It keeps one entry per host ever seen and never forgets one; at a million
// hosts that is about 300 bytes each, and evicting idle hosts is not done yet.
type Live struct {
	mu     sync.RWMutex
	hosts  map[string]*HostStatus
	groups map[string]*GroupStatus
}

// NewLive returns an empty Live.
func NewLive() *Live {
	return &Live{hosts: map[string]*HostStatus{}, groups: map[string]*GroupStatus{}}
}

// host returns the status of host, adding it. l.mu must be held.
func (l *Live) host(host string) *HostStatus {
	h := l.hosts[host]
	if h == nil {
		h = &HostStatus{Host: host}
		l.hosts[host] = h
	}
	return h
}

// observeLate counts a late sample of host; observeDuplicate a duplicate.
func (l *Live) observeLate(host string) { l.count(host, func(h *HostStatus) { h.LateSamples++ }) }
func (l *Live) observeDuplicate(host string) {
	l.count(host, func(h *HostStatus) { h.DuplicateSamples++ })
}

func (l *Live) count(host string, inc func(*HostStatus)) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	inc(l.host(host))
}

// foldError folds a one-step forecast error into h. l.mu is held.
func foldError(h *HostStatus, e schemas.ForecastError) {
	h.ForecastError1 = e.AbsError
	if h.ForecastErrors == 0 {
		h.ForecastMAE1 = e.AbsError
	} else {
		h.ForecastMAE1 += maeWeight * (e.AbsError - h.ForecastMAE1)
	}
	h.ForecastErrors++
}

// observeHost records a closed step, its forecast and score, and the error
// of the forecast made for it (nil when there was none to compare).
func (l *Live) observeHost(step schemas.Step, f schemas.Forecast, a schemas.Anomaly, e *schemas.ForecastError) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()

	h := l.host(step.Host)
	if e != nil {
		foldError(h, *e)
	}
	h.Group, h.Time, h.CPU = step.Group, step.Time, step.CPU
	h.Forecast = append(h.Forecast[:0], f.Values...)
	h.PredictedCPU = 0
	if len(f.Values) > 0 {
		h.PredictedCPU = f.Values[0]
	}
	h.Model, h.Ready, h.Reason = f.Model, f.Ready, f.Reason
	h.AnomalyScore, h.Anomalous, h.AnomalyKind = a.Score, a.Anomalous, a.Kind
}

func (l *Live) observeGroup(d schemas.Decision, c schemas.Cost) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()

	g := l.groups[d.Group]
	if g == nil {
		g = &GroupStatus{Group: d.Group}
		l.groups[d.Group] = g
	}
	g.Decision, g.Cost = d, c
	g.SavingsSoFar += c.Savings
}

// Host returns a copy of one host's status.
func (l *Live) Host(name string) (HostStatus, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()

	h, ok := l.hosts[name]
	if !ok {
		return HostStatus{}, false
	}
	out := *h
	out.Forecast = append([]float64(nil), h.Forecast...)
	return out, true
}

// Group returns a copy of one group's status.
func (l *Live) Group(name string) (GroupStatus, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()

	g, ok := l.groups[name]
	if !ok {
		return GroupStatus{}, false
	}
	return *g, true
}

// Hosts returns every host's status, sorted by host name.
func (l *Live) Hosts() []HostStatus {
	l.mu.RLock()
	names := make([]string, 0, len(l.hosts))
	for name := range l.hosts {
		names = append(names, name)
	}
	l.mu.RUnlock()

	sort.Strings(names)
	out := make([]HostStatus, 0, len(names))
	for _, name := range names {
		if h, ok := l.Host(name); ok {
			out = append(out, h)
		}
	}
	return out
}
