package cost

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/stages/decision"
)

var t0 = time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)

func newCoster(t testing.TB, cfg decision.Config) *Coster {
	t.Helper()
	c, err := New(defaultCatalog(t), cfg)
	if err != nil {
		t.Fatalf("new coster: %v", err)
	}
	return c
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

// 10 static m5.large in us-east-1 ($0.096/h), 7 decided, 1-minute step:
// static 10 x 0.096 / 60 = $0.016, decided $0.0112, saved 3 x 0.096 / 60.
func TestCostWorkedExample(t *testing.T) {
	c := newCoster(t, decision.Config{Groups: map[string]decision.GroupConfig{"web": {}}})

	got, err := c.Cost(schemas.Decision{Group: "web", Time: t0, Current: 10, Target: 7})
	if err != nil {
		t.Fatal(err)
	}

	want := schemas.Cost{
		Group: "web", Time: t0, Provider: "aws", Region: "us-east-1", InstanceType: "m5.large",
		PricePerHour: 0.096, StepSeconds: 60, StaticInstances: 10, DecidedInstances: 7,
	}
	if !near(got.StaticCost, 0.016) || !near(got.DecidedCost, 0.0112) || !near(got.Savings, 3*0.096/60) {
		t.Errorf("static %g decided %g savings %g", got.StaticCost, got.DecidedCost, got.Savings)
	}
	got.StaticCost, got.DecidedCost, got.Savings = 0, 0, 0
	if got != want {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

// Capacity added above the static count is a negative saving.
func TestCostScaleUpIsNegativeSavings(t *testing.T) {
	c := newCoster(t, decision.Config{Step: 5 * time.Minute})

	got, err := c.Cost(schemas.Decision{Group: "api", Time: t0, Target: 13})
	if err != nil {
		t.Fatal(err)
	}
	// 3 extra m5.large for 5 minutes.
	if got.StepSeconds != 300 || !near(got.Savings, -3*0.096*5/60) {
		t.Errorf("step %ds savings %g", got.StepSeconds, got.Savings)
	}
}

func TestCostPerHourOverridesCatalog(t *testing.T) {
	c := newCoster(t, decision.Config{Groups: map[string]decision.GroupConfig{
		"web": {CostPerHour: 0.5, Instances: 4},
	}})

	got, _ := c.Cost(schemas.Decision{Group: "web", Time: t0, Target: 2})
	if got.PricePerHour != 0.5 || !near(got.Savings, 2*0.5/60) {
		t.Errorf("price %g savings %g", got.PricePerHour, got.Savings)
	}
}

// An override also prices a type the catalog does not know.
func TestNewAcceptsUnknownTypeWithCostPerHour(t *testing.T) {
	_, err := New(defaultCatalog(t), decision.Config{Groups: map[string]decision.GroupConfig{
		"arm": {InstanceType: "m7g.large", CostPerHour: 0.0816},
	}})
	if err != nil {
		t.Fatal(err)
	}
}

func TestNewRejectsUnpricedGroupAtStart(t *testing.T) {
	_, err := New(defaultCatalog(t), decision.Config{Groups: map[string]decision.GroupConfig{
		"arm": {InstanceType: "m7g.large"},
	}})
	if !errors.Is(err, ErrUnknownInstanceType) || !strings.Contains(err.Error(), `group "arm"`) {
		t.Errorf("got %v, want ErrUnknownInstanceType naming the group", err)
	}

	_, err = New(defaultCatalog(t), decision.Config{Default: decision.GroupConfig{Region: "ap-south-1"}})
	if !errors.Is(err, ErrUnknownRegion) || !strings.Contains(err.Error(), "default group") {
		t.Errorf("got %v, want ErrUnknownRegion naming the default group", err)
	}

	_, err = New(defaultCatalog(t), decision.Config{Default: decision.GroupConfig{Provider: "azure"}})
	if !errors.Is(err, decision.ErrInvalidConfig) {
		t.Errorf("got %v, want decision.ErrInvalidConfig", err)
	}
}

func TestCumulativeAddsEachStepOnce(t *testing.T) {
	c := newCoster(t, decision.Config{Default: decision.GroupConfig{InstanceType: "c5.large"}})

	// c5.large $0.085/h, 10 static: targets 8, 8, 12 save 2, 2, -2 instance-minutes.
	for i, target := range []int{8, 8, 12} {
		if _, err := c.Cost(schemas.Decision{Group: "web", Time: t0.Add(time.Duration(i) * time.Minute), Target: target}); err != nil {
			t.Fatal(err)
		}
	}
	// A redelivered step and an older one are costed but not added again.
	c.Cost(schemas.Decision{Group: "web", Time: t0.Add(2 * time.Minute), Target: 1})
	c.Cost(schemas.Decision{Group: "web", Time: t0, Target: 1})
	c.Cost(schemas.Decision{Group: "other", Time: t0, Target: 9})

	if got, want := c.Cumulative("web"), 2*0.085/60; !near(got, want) {
		t.Errorf("web cumulative %g, want %g", got, want)
	}
	if got, want := c.Cumulative("other"), 0.085/60; !near(got, want) {
		t.Errorf("other cumulative %g, want %g", got, want)
	}
	if got := c.Cumulative("never-seen"); got != 0 {
		t.Errorf("unseen group %g", got)
	}
}

func TestCostRejectsNegativeTarget(t *testing.T) {
	c := newCoster(t, decision.Config{})

	if _, err := c.Cost(schemas.Decision{Group: "web", Time: t0, Target: -1}); err == nil {
		t.Fatal("negative target accepted")
	}
	if got := c.Cumulative("web"); got != 0 {
		t.Errorf("rejected decision counted: %g", got)
	}
}

func BenchmarkCost(b *testing.B) {
	c := newCoster(b, decision.Config{Groups: map[string]decision.GroupConfig{"web": {}}})
	d := schemas.Decision{Group: "web", Time: t0, Current: 10, Target: 7}

	b.ReportAllocs()
	for b.Loop() {
		d.Time = d.Time.Add(time.Minute)
		if _, err := c.Cost(d); err != nil {
			b.Fatal(err)
		}
	}
}
