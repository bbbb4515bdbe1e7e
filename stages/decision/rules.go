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
	required := ceilNeed(load, cfg)
	need := clampNeed(required, cfg)

	// The reserve for forecast misses is kept, never ordered: a scale-out
	// goes to the need, a scale-in stops at the need plus the reserve.
	s.head.observe(p.time, stepLen, d.DemandNow, need)
	reserve := s.head.reserve()
	keep := clampNeed(required+reserve, cfg)
	s.hist.push(p.time, stepLen, d.DemandNow)

	ahead := time.Duration(lead) * stepLen
	cur := s.current

	// needPhrase is called in each case that uses it: scale-in words its
	// reason differently, and formatting costs allocations.
	switch {
	case need > cur:
		d.Action, d.Target = schemas.ActionScaleUp, need
		d.Reason = fmt.Sprintf("%s > %d running: scale up", needPhrase(&d, cfg, load, required, ahead), cur)

	case need == cur:
		d.Action = schemas.ActionMaintain
		d.Reason = fmt.Sprintf("%s = %d running: maintain", needPhrase(&d, cfg, load, required, ahead), cur)

	case keep >= cur:
		d.Action = schemas.ActionMaintain
		d.Reason = fmt.Sprintf("%s < %d running, but %d more are kept for forecast misses (%s): maintain",
			needPhrase(&d, cfg, load, required, ahead), cur, reserve, s.reserveWhy)

	case !s.hist.full():
		d.Action = schemas.ActionMaintain
		d.Reason = fmt.Sprintf("%s < %d running, but only %s of the %s stabilisation window seen: maintain",
			needPhrase(&d, cfg, load, required, ahead), cur,
			fmtDur(time.Duration(s.hist.n)*stepLen), fmtDur(time.Duration(s.window)*stepLen))

	default:
		s.scaleIn(&d, stepLen, required, reserve, ahead)
	}

	s.current = d.Target
	return d
}

// scaleIn fills d for a step whose need, reserve included, is below the
// current count and whose stabilisation window is full. The count left
// covers the largest demand of the window and the forecast peak of the
// lead at the target utilisation, plus the reserve: demand that has been
// measured is taken as measured, not as it was forecast.
func (s *groupState) scaleIn(
	d *schemas.Decision,
	stepLen time.Duration,
	required int,
	reserve int,
	ahead time.Duration,
) {
	cfg := &s.cfg
	cur := s.current
	winLoad := s.hist.peak()
	winRequired := ceilNeed(winLoad, cfg) // ceilNeed grows with the load
	floor := clampNeed(max(winRequired, required)+reserve, cfg)
	span := fmtDur(time.Duration(s.window) * stepLen)

	// The optional parts are empty strings, so that the common case
	// formats once.
	forecast, kept := "", ""
	if required > winRequired {
		forecast = fmt.Sprintf(" and the forecast peak within %s is %.1f", fmtDur(ahead), d.ForecastPeak)
	}
	if reserve > 0 {
		kept = fmt.Sprintf(", and %d more are kept for forecast misses (%s)", reserve, s.reserveWhy)
	}
	needed := max(winRequired, required)
	capped := capNote(needed+reserve, cfg)

	if floor >= cur {
		d.Action = schemas.ActionMaintain
		d.Reason = fmt.Sprintf("demand reached %.1f instance-units within the last %s%s: at %s target that needs %d%s%s "+
			"≥ %d running: maintain", winLoad, span, forecast, pct(cfg.TargetUtilization), needed, kept, capped, cur)
		return
	}

	target := max(floor, cur-cfg.MaxScaleInStep)
	limit := ""
	if target > floor {
		limit = " (max step)"
	}
	d.Action, d.Target = schemas.ActionScaleDown, target
	d.Reason = fmt.Sprintf("demand stayed ≤ %.1f instance-units for %s%s: at %s target that needs %d%s%s; "+
		"removing %d%s of %d: scale down",
		winLoad, span, forecast, pct(cfg.TargetUtilization), needed, kept, capped, cur-target, limit, cur)
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

// reserveSource says where the reserve for forecast misses comes from,
// e.g. "98th percentile of the last 72h's shortfalls".
func reserveSource(cfg *GroupConfig) string {
	return fmt.Sprintf("%s percentile of the last %s's shortfalls", ordinal(cfg.HeadroomQuantile), fmtDur(cfg.HeadroomWindow))
}

// ceilNeed is the count that runs load instance units at the target
// utilisation, before the group's bounds.
func ceilNeed(load float64, cfg *GroupConfig) int {
	return int(math.Ceil(load/cfg.TargetUtilization - ceilSlack))
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

// clampNeed bounds a count of instances to the group's min and max.
func clampNeed(n int, cfg *GroupConfig) int {
	return min(max(n, cfg.MinInstances), cfg.MaxInstances)
}

// ordinal names a quantile as a percentile: 0.95 is "95th", 0.5 "50th",
// 0.999 "99.9th".
func ordinal(q float64) string {
	p := math.Round(q*1000) / 10
	suffix := "th"
	if p == math.Trunc(p) {
		switch int(p) % 100 {
		case 11, 12, 13:
		default:
			suffix = [...]string{"th", "st", "nd", "rd", "th", "th", "th", "th", "th", "th"}[int(p)%10]
		}
	}
	return fmt.Sprintf("%g%s", p, suffix)
}
