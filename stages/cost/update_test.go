package cost

import (
	"errors"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/stages/decision"
)

func TestUpdateGroupRepricesLiveAndRefusesUnknownTypes(t *testing.T) {
	cat, err := DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(cat, decision.Config{Step: time.Hour, Groups: map[string]decision.GroupConfig{
		"web": {Instances: 10, CostPerHour: 0.1},
	}})
	if err != nil {
		t.Fatal(err)
	}
	d := schemas.Decision{Group: "web", Time: time.Unix(3600, 0), Target: 4}

	if err := c.UpdateGroup(cat, decision.GroupConfig{Name: "web", Instances: 10, InstanceType: "m5.huge"}); !errors.Is(err, ErrUnknownInstanceType) {
		t.Fatalf("err = %v, want ErrUnknownInstanceType", err)
	}
	if got, _ := c.Cost(d); got.PricePerHour != 0.1 {
		t.Fatalf("a refused update changed the price to %g", got.PricePerHour)
	}

	if err := c.UpdateGroup(cat, decision.GroupConfig{Name: "web", Instances: 8, CostPerHour: 0.2}); err != nil {
		t.Fatal(err)
	}
	got, err := c.Cost(d)
	if err != nil {
		t.Fatal(err)
	}
	// One hour: static 8 x 0.2 = 1.6, decided 4 x 0.2 = 0.8.
	if got.PricePerHour != 0.2 || got.StaticInstances != 8 || got.Savings != 0.8 {
		t.Fatalf("after the update: %+v", got)
	}
}
