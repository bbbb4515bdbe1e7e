package anomaly

import (
	"fmt"
	"math"
	"slices"

	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/stages/window"
)

// Detector scores closed windows against the history of their host (or
// group, see Scope) with an Isolation Forest, and types and explains those
// that stand out.
//
// A Detector is not safe for concurrent use: it owns per-host state and one
// set of scratch buffers. The pipeline partitions hosts over workers, so
// give each worker its own Detector (a host then always meets the same one).
type Detector struct {
	cfg    Config
	states map[string]*hostState
	metas  map[string]*hostMeta // per host, whatever the Scope

	// Scratch reused by every call; this is why a Detector is single-goroutine.
	build builder
	rows  [][]float64
	col   []float64
}

// hostState is what the Detector keeps per host (or group). Its size is
// documented in the package doc; keep it compact.
type hostState struct {
	// hist is a ring of feature vectors, NumFeatures values each, grown up
	// to HistorySize vectors and then overwritten oldest first.
	hist  []float64
	count int // vectors in hist
	next  int // vector slot the next push writes once hist is full
	since int // vectors pushed since the last fit
	fitOn int // vectors the current forest was fitted on
	fits  uint64
	hosts int // hosts that scored a window here (1 in ScopeHost); never decreases

	forest *Forest // nil before the first fit
	stats  robustStats

	// bar is the score a window must reach on this host, besides
	// Config.Threshold: the Config.HostQuantile of the scores the forest
	// gives the history it was fitted on, plus Config.HostMargin (see
	// hostBar). 0 when the bar is off.
	bar float64
}

// New returns a Detector; zero fields of cfg take their defaults.
func New(cfg Config) (*Detector, error) {
	cfg.SetDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("new anomaly detector: %w", err)
	}
	d := &Detector{cfg: cfg, states: make(map[string]*hostState), metas: make(map[string]*hostMeta)}
	if m := cfg.ignoreMask(); len(m) > 0 {
		d.build.ignore = make([]bool, NumFeatures)
		for f := range m {
			d.build.ignore[f] = true
		}
	}
	return d, nil
}

// meta returns the per-host state of host, creating it on first use.
func (d *Detector) meta(host string) *hostMeta {
	m := d.metas[host]
	if m == nil {
		m = &hostMeta{}
		d.metas[host] = m
	}
	return m
}

// Config is the configuration in use, defaults filled in.
func (d *Detector) Config() Config { return d.cfg }

// Hosts is the number of hosts (or groups) the Detector keeps state for.
func (d *Detector) Hosts() int { return len(d.states) }

// Score scores the window c closed, then adds its features to the history.
//
// Only full windows (c.Ready) are scored; others return Score 0 with the
// window's reason, and do not enter the history. Until the host has
// MinHistory feature vectors, Score is 0 and Explanation says how many it
// has ("not scored: 12 of 64 windows of history"). From then on the window
// is scored by a forest fitted on the history before it (a window never
// judges itself), refitted as the history doubles and then every RefitEvery
// windows. A window is anomalous when its score reaches the bar (Threshold
// on a forest of the host's own; SharedThreshold and Config.TailProb on a
// forest shared with other hosts of its group) and it also differs from
// the history by Config.MinChange, or when it is a stuck metric (see
// KindFlatline) whatever its score. Only the first
// anomalous window of an event (see Config.Cooldown; with Config.Persist
// above 1, the Persist-th anomalous window in a row) is reported: it gets
// Anomalous, Kind and Explanation; the anomalous windows after it keep
// their Score and say in Explanation that they belong to a reported event,
// and those before it that they are pending.
//
// The residual features come from the forecast of this step that
// ObserveForecast was given, if any.
//
// Score does not keep c.Values. It allocates only on a host's first window,
// when it refits, for the strings of unscored or anomalous windows.
func (d *Detector) Score(c window.Closed) schemas.Anomaly {
	out := schemas.Anomaly{Host: c.Step.Host, Group: c.Step.Group, Time: c.Step.Time}
	if !c.Ready {
		out.Explanation = notReady(c.Reason)
		return out
	}

	st := d.state(c.Step)
	hm := d.meta(c.Step.Host)
	if !hm.joined {
		hm.joined = true
		st.hosts++
	}
	var raw, x [NumFeatures]float64
	Extract(raw[:], c)
	hm.residuals(c.Step, &raw)
	x = raw
	toForestSpace(&x)

	if st.due(&d.cfg) {
		d.refit(d.key(c.Step), st)
	}
	if st.forest == nil {
		out.Explanation = fmt.Sprintf("not scored: %d of %d windows of history", st.count, d.cfg.MinHistory)
		st.push(&x, d.cfg.HistorySize)
		return out
	}

	out.Score = st.forest.Score(x[:])
	histStd := stdFromForestSpace(st.stats.med[FeatStd])
	// The bar: Threshold on a forest of the host's own; on a forest shared
	// with other hosts, SharedThreshold and the host's own score
	// likelihood (see likelihood.go and Config.TailProb).
	bar, surprising := d.cfg.Threshold, true
	if d.cfg.TailProb > 0 {
		p, warm := hm.lik.tail(out.Score, &d.cfg)
		if st.hosts > 1 {
			bar, surprising = d.cfg.SharedThreshold, warm && p <= d.cfg.TailProb
		}
	}
	flagged := surprising && out.Score >= max(bar, st.bar) && material(&raw, &st.stats.med, &d.cfg)
	anomalous := flagged || stuck(&raw, histStd, &d.cfg)
	if d.cfg.TailProb > 0 && !anomalous {
		// Anomalous windows stay out, so that a fault does not widen the
		// spread it is judged against.
		hm.lik.learn(out.Score, &d.cfg)
	}
	var z [NumFeatures]float64
	var kind Kind
	if anomalous {
		st.stats.robustZ(&z, &x)
		kind = classify(&raw, &z, histStd, &d.cfg)
	}
	calm := !anomalous && (d.cfg.Rearm <= 0 || out.Score < d.cfg.Rearm)
	report, pending := hm.event.step(anomalous, calm, kind, d.cfg.Cooldown, d.cfg.Persist)
	switch {
	case report:
		out.Anomalous = true
		out.Kind = string(kind)
		out.Explanation = explain(&raw, &z)
	case pending:
		out.Explanation = pendingNote
	case anomalous:
		out.Explanation = suppressedNote
	}

	st.push(&x, d.cfg.HistorySize)
	return out
}

func notReady(reason string) string {
	if reason == "" {
		return "not scored: window not full"
	}
	return "not scored: " + reason
}

// key is the map key of a step's state: its host, or its group.
func (d *Detector) key(s schemas.Step) string {
	if d.cfg.Scope == ScopeHost {
		return s.Host
	}
	if s.Group == "" {
		return schemas.DefaultGroup
	}
	return s.Group
}

func (d *Detector) state(s schemas.Step) *hostState {
	k := d.key(s)
	st := d.states[k]
	if st == nil {
		st = &hostState{}
		d.states[k] = st
	}
	return st
}

// due says whether the state needs a (re)fit before scoring: a first fit at
// MinHistory, then each time the history has doubled while the ring fills,
// then every RefitEvery windows. The doubling matters for young hosts: a
// forest fitted on the first 5 hours of a day would flag the rest of the day
// until the daily refit; doubling costs only log2(HistorySize/MinHistory)
// extra fits per host.
func (st *hostState) due(cfg *Config) bool {
	if st.forest == nil {
		return st.count >= cfg.MinHistory
	}
	return st.since >= cfg.RefitEvery || st.count >= 2*st.fitOn
}

// push adds x to the ring, growing it up to size vectors first so that a
// young host holds only what it has seen.
func (st *hostState) push(x *[NumFeatures]float64, size int) {
	st.since++
	if st.count < size {
		// Grow by doubling but never past the ring's size, so a full ring
		// holds exactly size vectors and no slack.
		if len(st.hist)+NumFeatures > cap(st.hist) {
			n := min(size*NumFeatures, max(2*cap(st.hist), 16*NumFeatures))
			st.hist = append(make([]float64, 0, n), st.hist...)
		}
		st.hist = append(st.hist, x[:]...)
		st.count++
		return
	}
	copy(st.hist[st.next*NumFeatures:], x[:])
	st.next = (st.next + 1) % size
}

// refit grows a new forest on the whole history, reusing the old forest's
// node array, and recomputes the robust statistics explanations use.
func (d *Detector) refit(key string, st *hostState) {
	d.rows = resize(d.rows, st.count)
	for i := range d.rows {
		d.rows[i] = st.hist[i*NumFeatures : (i+1)*NumFeatures : (i+1)*NumFeatures]
	}

	// The seed varies with the host and the fit, so that hosts do not share
	// the same random splits and a refit on near-identical history still
	// draws new trees, while a replay stays reproducible.
	fc := d.cfg.Forest
	fc.Seed ^= hashKey(key) ^ (st.fits * 0x9e3779b97f4a7c15)
	if st.forest == nil {
		st.forest = &Forest{}
	}
	d.build.fit(st.forest, d.rows, fc)
	clear(d.rows)

	d.col = resize(d.col, st.count)
	st.stats.compute(st.hist, st.count, d.col)
	st.bar = d.hostBar(st)

	st.fits++
	st.since = 0
	st.fitOn = st.count
}

// hashKey is FNV-1a over the key's bytes, without converting to []byte.
func hashKey(s string) uint64 {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h := uint64(offset)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= prime
	}
	return h
}

// hostBarRows is how many history rows hostBar scores: enough for a 0.995
// quantile to rest on a few rows, few enough to keep a refit cheap.
const hostBarRows = 512

// hostBar is the per-host score bar: the Config.HostQuantile of the scores
// the new forest gives (up to hostBarRows evenly spaced rows of) the
// history, plus Config.HostMargin; 0 when HostQuantile is 0 (off).
//
// Isolation Forest scores are not comparable across hosts: on a smooth host
// normal windows score 0.50-0.53 and a burst far outside the history only
// about 0.59 (a point beyond the sample's range is never split from its
// most extreme sample, so its path cannot get very short), while on a
// bursty host ordinary windows reach 0.62. A bar from the host's own
// scores puts the line where that host's normal ends. The scores are in
// sample (each row helped grow the trees), so a little lower than those of
// new windows; HostMargin covers that.
func (d *Detector) hostBar(st *hostState) float64 {
	if d.cfg.HostQuantile == 0 {
		return 0
	}
	n := min(st.count, hostBarRows)
	d.col = resize(d.col, n)
	for i := range n {
		r := i * st.count / n
		d.col[i] = st.forest.Score(st.hist[r*NumFeatures : (r+1)*NumFeatures])
	}
	slices.Sort(d.col)
	k := min(n-1, int(math.Ceil(d.cfg.HostQuantile*float64(n)))-1)
	return d.col[max(0, k)] + d.cfg.HostMargin
}
