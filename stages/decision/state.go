package decision

import (
	"math"
	"slices"
	"time"
)

// groupState is what a Decider keeps per group: the step being gathered,
// the count last recommended and the recent needs for scale-in.
type groupState struct {
	cfg GroupConfig

	// lead is 1 + ceil(BootTime / Step): how many forecast steps a scale-out
	// must look ahead. The decision of step t is made when t closes, at
	// t+Step; an instance ordered then serves from the first step that
	// starts once it has booted, ceil(BootTime/Step) steps later, and that
	// step must be inside the horizon (see leadSteps). window is ceil(ScaleInStabilization / Step),
	// at least 1: how many consecutive steps the need must stay low.
	lead   int
	window int

	// steps are the steps reported but not decided yet, oldest first;
	// spare holds released ones for reuse.
	steps []*pendingStep
	spare []*pendingStep

	// members maps each host of the group to the latest step it reported;
	// first and newest are the group's first and latest steps seen.
	members map[string]time.Time
	first   time.Time
	newest  time.Time

	// lastDecided is the last step decided; forecasts for it or earlier
	// are late. decidedAny tells whether lastDecided is set.
	lastDecided time.Time
	decidedAny  bool

	// current is the count Scalora last recommended.
	current int

	hist history
	head headroom

	// reserveWhy says where the reserve comes from, for reasons; see
	// reserveSource.
	reserveWhy string
}

// pendingStep gathers the hosts that reported one step of a group. Sums rather
// than per-host values keep it O(lead) whatever the group's size.
type pendingStep struct {
	time time.Time

	hosts  int
	cpuSum float64 // percent, clipped

	// fcSum[i] sums the hosts' forecasts (percent, clipped) for i+1 steps
	// ahead; a forecast shorter than lead is extended with its last value.
	fcSum []float64

	// ready counts hosts whose forecast is Ready and has values; maxLen is
	// the longest such forecast.
	ready  int
	maxLen int

	models         []string
	notReadyReason string
}

func (p *pendingStep) reset(t time.Time) {
	p.time = t
	p.hosts = 0
	p.cpuSum = 0
	clear(p.fcSum)
	p.ready = 0
	p.maxLen = 0
	p.models = p.models[:0]
	p.notReadyReason = ""
}

// add counts one host's report. values and cpu must be finite.
func (p *pendingStep) add(values []float64, cpu float64, ready bool, model, reason string) {
	cpu = clipCPU(cpu)
	p.hosts++
	p.cpuSum += cpu

	for i := range p.fcSum {
		v := cpu // persistence when a host sends no values at all
		if len(values) > 0 {
			v = clipCPU(values[min(i, len(values)-1)])
		}
		p.fcSum[i] += v
	}

	if ready && len(values) > 0 {
		p.ready++
		p.maxLen = max(p.maxLen, len(values))
	} else if p.notReadyReason == "" {
		p.notReadyReason = reason
		if ready {
			p.notReadyReason = "forecast has no values"
		}
	}

	if model != "" && !slices.Contains(p.models, model) {
		p.models = append(p.models, model)
	}
}

func clipCPU(v float64) float64 {
	return math.Min(math.Max(v, 0), 100)
}

// history is a ring of the last window steps' demand, all consecutive.
type history struct {
	load []float64 // demand in instance units
	head int       // index of the oldest entry
	n    int
	last time.Time // time of the newest entry
}

func newHistory(window int) history {
	return history{load: make([]float64, window)}
}

// push records the demand of step t. A gap since the previous entry empties
// the ring first: a step nobody reported is not evidence of low demand.
func (h *history) push(t time.Time, stepLen time.Duration, load float64) {
	if h.n > 0 && !t.Equal(h.last.Add(stepLen)) {
		h.reset()
	}
	h.last = t

	size := len(h.load)
	if h.n < size {
		h.load[(h.head+h.n)%size] = load
		h.n++
		return
	}
	h.load[h.head] = load
	h.head = (h.head + 1) % size
}

func (h *history) reset() {
	h.head, h.n = 0, 0
}

func (h *history) full() bool {
	return h.n == len(h.load)
}

// peak returns the largest demand held, 0 when empty.
func (h *history) peak() float64 {
	load := 0.0
	for i := range h.n {
		load = max(load, h.load[(h.head+i)%len(h.load)])
	}
	return load
}

func newGroupState(cfg GroupConfig, stepLen time.Duration) *groupState {
	lead := leadSteps(cfg.BootTime, stepLen)
	window := max(1, ceilDiv(cfg.ScaleInStabilization, stepLen))
	return &groupState{
		cfg:     cfg,
		lead:    lead,
		window:  window,
		members: map[string]time.Time{},
		current: cfg.Instances,
		hist:    newHistory(window),
		head:    newHeadroom(&cfg, lead, stepLen),

		reserveWhy: reserveSource(&cfg),
	}
}

// step returns the pending step at t, opening it in time order if needed.
func (s *groupState) step(t time.Time) *pendingStep {
	i := len(s.steps)
	for i > 0 && s.steps[i-1].time.After(t) {
		i--
	}
	if i > 0 && s.steps[i-1].time.Equal(t) {
		return s.steps[i-1]
	}

	var p *pendingStep
	if n := len(s.spare); n > 0 {
		p, s.spare = s.spare[n-1], s.spare[:n-1]
	} else {
		p = &pendingStep{fcSum: make([]float64, s.lead)}
	}
	p.reset(t)
	s.steps = slices.Insert(s.steps, i, p)
	return p
}

// ready reports whether the oldest pending step p may be decided at
// wait steps of patience (see Config.WaitSteps). Hosts silent for longer
// than the wait leave the group when it forces a step.
func (s *groupState) ready(p *pendingStep, stepLen time.Duration, wait int) bool {
	if wait < 0 {
		return p.time.Before(s.newest)
	}
	patience := time.Duration(wait) * stepLen
	if s.newest.Sub(s.first) < patience {
		return false // still learning which hosts the group has
	}
	if p.hosts >= len(s.members) {
		return true
	}
	if s.newest.Sub(p.time) < patience {
		return false
	}

	for host, last := range s.members {
		if s.newest.Sub(last) >= patience {
			delete(s.members, host)
		}
	}
	return true
}

// leadSteps is 1 + ceil(boot / step): the forecast steps from the one after
// the decided step up to the first one that an instance ordered by the
// decision can serve. Values[k] of a forecast made at step t is for step
// t+k+1; an instance ordered at t+Step is ready at t+Step+boot and serves
// from step t+1+ceil(boot/step), which is Values[ceil(boot/step)].
func leadSteps(boot, step time.Duration) int {
	return 1 + ceilDiv(boot, step)
}

func ceilDiv(a, b time.Duration) int {
	return int((a + b - 1) / b)
}
