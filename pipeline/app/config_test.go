package app

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestExampleConfigLoadsWithItsDocumentedDefaults(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(file), "..", "..", "deploy", "scalora.example.yaml")

	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}

	var d Config
	d.SetDefaults()
	wantWindow := WindowConfig{Step: time.Minute, Size: 24, Aggregate: "mean", MaxGapSteps: 5, AllowedLateness: time.Minute, MaxHosts: 1_000_000}
	if c.Window != wantWindow {
		t.Errorf("window %+v, want the documented defaults %+v", c.Window, wantWindow)
	}
	if c.Kafka.CommitInterval != time.Second || c.Topics != d.Topics || c.Outbox != d.Outbox {
		t.Errorf("example file drifted from the defaults: %+v", c)
	}
	web := c.Decision.Groups["web"]
	if web.Provider != "gcp" || web.Instances != 12 || web.BootTime != 5*time.Minute {
		t.Errorf("group web = %+v", web)
	}
}

func TestBadConfigsNameTheirFault(t *testing.T) {
	cases := map[string]string{
		"unknown_field.yaml":      "field brokerz not found",
		"bad_backend.yaml":        `store.backend "postgres"`,
		"clickhouse_no_addr.yaml": "store.addr is required",
		"step_mismatch.yaml":      "decision.step (1m0s) must equal window.step (5m0s)",
		"bad_group.yaml":          "min",
		"dup_topic.yaml":          `"same" is used twice`,
		"bad_blend.yaml":          `forecast.blend "hosts"`,
	}
	for file, want := range cases {
		t.Run(file, func(t *testing.T) {
			_, err := Load(filepath.Join("testdata", file))
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("err = %v, want it to contain %q", err, want)
			}
		})
	}
}

func TestConfigExpandsEnvironment(t *testing.T) {
	t.Setenv("SCALORA_TEST_PASSWORD", "s3cret")
	c, err := Load(filepath.Join("testdata", "env_password.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Kafka.SASL.Password != "s3cret" {
		t.Fatalf("password = %q", c.Kafka.SASL.Password)
	}
}

func TestEmptyConfigIsTheEmbeddedDefault(t *testing.T) {
	var c Config
	c.SetDefaults()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(c.Kafka.Brokers) != 0 || c.Store.Backend != "chdb" || c.Store.Path != filepath.Join("scalora-data", "chdb") {
		t.Fatalf("defaults are not the embedded setup: %+v", c)
	}
}
