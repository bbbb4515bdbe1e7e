package decision

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas"
)

func TestGroupConfigDefaults(t *testing.T) {
	var g GroupConfig
	g.SetDefaults()

	want := GroupConfig{
		Provider: "aws", Region: "us-east-1", InstanceType: "m5.large",
		Instances: 10, MinInstances: 1, MaxInstances: 100,
		TargetUtilization: 0.6, BootTime: 5 * time.Minute,
		ScaleInStabilization: 15 * time.Minute, MaxScaleInStep: 2,
		HeadroomQuantile: 0.98, HeadroomWindow: 72 * time.Hour,
		Mode: schemas.ModeEnforce,
	}
	if g != want {
		t.Errorf("got  %+v\nwant %+v", g, want)
	}
	if err := g.Validate(); err != nil {
		t.Errorf("defaults do not validate: %v", err)
	}
}

func TestGroupConfigDefaultsFollowProviderAndSize(t *testing.T) {
	g := GroupConfig{Provider: "gcp", Instances: 150}
	g.SetDefaults()

	if g.Region != "us-central1" || g.InstanceType != "e2-standard-2" || g.MaxInstances != 150 {
		t.Errorf("got region %q type %q max %d", g.Region, g.InstanceType, g.MaxInstances)
	}
}

func TestGroupConfigValidateRejects(t *testing.T) {
	cases := []struct {
		name string
		edit func(*GroupConfig)
		want string
	}{
		{"unknown provider", func(g *GroupConfig) { g.Provider = "azure" }, `provider "azure" is not one of aws, gcp`},
		{"instances below min", func(g *GroupConfig) { g.MinInstances = 11 }, "need min_instances 11 <= instances 10 <= max_instances 100"},
		{"instances above max", func(g *GroupConfig) { g.MaxInstances = 5 }, "need min_instances 1 <= instances 10 <= max_instances 5"},
		{"negative min", func(g *GroupConfig) { g.MinInstances = -1 }, "min_instances -1 is below 1"},
		{"target above 1", func(g *GroupConfig) { g.TargetUtilization = 1.2 }, "target_utilization 1.2 is outside (0, 1]"},
		{"negative target", func(g *GroupConfig) { g.TargetUtilization = -0.5 }, "target_utilization -0.5 is outside (0, 1]"},
		{"negative price", func(g *GroupConfig) { g.CostPerHour = -1 }, "cost_per_hour -1"},
		{"negative boot", func(g *GroupConfig) { g.BootTime = -time.Second }, "boot_time -1s is negative"},
		{"negative window", func(g *GroupConfig) { g.ScaleInStabilization = -time.Second }, "scale_in_stabilization -1s"},
		{"negative step", func(g *GroupConfig) { g.MaxScaleInStep = -2 }, "max_scale_in_step -2 is below 1"},
		{"unknown mode", func(g *GroupConfig) { g.Mode = "dry-run" }, `mode "dry-run" is not one of`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := GroupConfig{Name: "web"}
			g.SetDefaults()
			c.edit(&g)

			err := g.Validate()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error containing %q", err, c.want)
			}
			if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), `group "web"`) {
				t.Errorf("error %q does not wrap ErrInvalidConfig or name the group", err)
			}
		})
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		want string
	}{
		{"group key and name differ", Config{Groups: map[string]GroupConfig{"web": {Name: "api"}}},
			`group listed as "web" is named "api"`},
		{"bad group", Config{Groups: map[string]GroupConfig{"web": {TargetUtilization: 2}}},
			`group "web": target_utilization 2`},
		{"bad default", Config{Default: GroupConfig{Provider: "azure"}}, "default group"},
		{"negative step", Config{Step: -time.Minute}, "step -1m0s is not positive"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := New(c.cfg)
			if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, ErrInvalidConfig) {
				t.Fatalf("got %v, want an ErrInvalidConfig containing %q", err, c.want)
			}
		})
	}
}

func TestConfigGroupFallsBackToDefaultUnderItsName(t *testing.T) {
	c := Config{Groups: map[string]GroupConfig{"web": {Instances: 3}}}
	c.SetDefaults()

	if g := c.Group("web"); g.Name != "web" || g.Instances != 3 {
		t.Errorf("web: %+v", g)
	}
	if g := c.Group("batch"); g.Name != "batch" || g.Instances != 10 || g.InstanceType != "m5.large" {
		t.Errorf("batch: %+v", g)
	}
}
