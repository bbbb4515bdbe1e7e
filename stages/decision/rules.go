package decision

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/scalora/scalora/schemas"
)

// ceilSlack absorbs floating-point error before rounding up, so that
// 8.4 instance-units at 60 % needs 14 instances, not 15 (8.4/0.6 is
// 14.000000000000002 in float64).
const ceilSlack = 1e-9

// decide turns the pending step p into a decision and advances the group's
// state: the recommended count and the scale-in history.
func (s *groupState) decide(p *pendingStep, stepLen time.Duration) schemas.Decision {
	cfg := &s.cfg
	d := schemas.Decision{
		Group:   cfg.Name,
		Time:    p.time,
		Current: s.current,
		Target:  s.current,
		Mode:    cfg.Mode,
		Model:   modelName(p.models),
	}

	inst := float64(cfg.Instances)
	d.DemandNow = inst * p.cpuSum / float64(p.hosts) / 100

	if p.ready == 0 {
		// Nothing is pushed to the history: the gap this leaves restarts
		// the stabilisation window, since without a forecast we cannot say
		// demand stayed low.
		d.Action = schemas.ActionMaintain
		d.Reason = notReadyReason(p)
		return d
	}

	lead := min(s.lead, p.maxLen)
	peak := 0.0
	for _, v := range p.fcSum[:lead] {
		peak = max(peak, v)
	}
	d.ForecastPeak = inst * peak / float64(p.hosts) / 100
	d.HorizonSteps = lead

	load := max(d.ForecastPeak, d.DemandNow)
	required := int(math.Ceil(load/cfg.TargetUtilization - ceilSlack))
	need := min(max(required, cfg.MinInstances), cfg.MaxInstances)
	s.hist.push(p.time, stepLen, need, load)

	why := needPhrase(&d, cfg, load, required, time.Duration(lead)*stepLen)
	cur := s.current

	switch {
	case need > cur:
		d.Action, d.Target = schemas.ActionScaleUp, need
		d.Reason = fmt.Sprintf("%s > %d running: scale up", why, cur)

	case need == cur:
		d.Action = schemas.ActionMaintain
		d.Reason = fmt.Sprintf("%s = %d running: maintain", why, cur)

	case !s.hist.full():
		d.Action = schemas.ActionMaintain
		d.Reason = fmt.Sprintf("%s < %d running, but only %s of the %s stabilisation window seen: maintain",
			why, cur, fmtDur(time.Duration(s.hist.n)*stepLen), fmtDur(time.Duration(s.window)*stepLen))

	default:
		s.scaleIn(&d, stepLen)
	}

	s.current = d.Target
	return d
}

// scaleIn fills d for a step whose need is below the current count and
// whose stabilisation window is full.
func (s *groupState) scaleIn(d *schemas.Decision, stepLen time.Duration) {
	cfg := &s.cfg
	cur := s.current
	winNeed, winLoad := s.hist.peak()
	span := fmtDur(time.Duration(s.window) * stepLen)

	if winNeed >= cur {
		d.Action = schemas.ActionMaintain
		d.Reason = fmt.Sprintf("demand needed %d ≥ %d running within the last %s: maintain", winNeed, cur, span)
		return
	}

	target := max(winNeed, cur-cfg.MaxScaleInStep)
	limit := ""
	if target > winNeed {
		limit = " (max step)"
	}
	d.Action, d.Target = schemas.ActionScaleDown, target
	d.Reason = fmt.Sprintf(
		"demand stayed ≤ %.1f instance-units (≤ %d instances at %s target) for %s; removing %d%s of %d: scale down",
		winLoad, winNeed, pct(cfg.TargetUtilization), span, cur-target, limit, cur)
}

// needPhrase names the signal that set the need, e.g. "forecast peak 7.4
// instance-units within 5m at 60% target needs 13".
func needPhrase(d *schemas.Decision, cfg *GroupConfig, load float64, required int, ahead time.Duration) string {
	signal := fmt.Sprintf("current demand %.1f instance-units", load)
	if d.ForecastPeak >= d.DemandNow {
		signal = fmt.Sprintf("forecast peak %.1f instance-units within %s", load, fmtDur(ahead))
	}
	return fmt.Sprintf("%s at %s target needs %d%s", signal, pct(cfg.TargetUtilization), required, capNote(required, cfg))
}

// capNote says when the need was clamped to the group's bounds.
func capNote(required int, cfg *GroupConfig) string {
	switch {
	case required > cfg.MaxInstances:
		return fmt.Sprintf(" (capped at max %d)", cfg.MaxInstances)
	case required < cfg.MinInstances:
		return fmt.Sprintf(" (raised to min %d)", cfg.MinInstances)
	}
	return ""
}

func notReadyReason(p *pendingStep) string {
	reason := p.notReadyReason
	if reason == "" {
		reason = "forecast gives no reason"
	}
	if p.hosts > 1 {
		return fmt.Sprintf("not ready (%d hosts, first says): %s", p.hosts, reason)
	}
	return "not ready: " + reason
}

// modelName joins the distinct models of a step's hosts, sorted, with "+".
func modelName(models []string) string {
	if len(models) <= 1 {
		if len(models) == 1 {
			return models[0]
		}
		return ""
	}
	sorted := slices.Clone(models)
	slices.Sort(sorted)
	return strings.Join(sorted, "+")
}

func pct(f float64) string {
	return fmt.Sprintf("%g%%", math.Round(f*1000)/10)
}

// fmtDur prints a duration without trailing zero units: 5m, 1h30m, 90s.
func fmtDur(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}
