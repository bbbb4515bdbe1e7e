package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Regression: with the example config, --step 5m left the allowed lateness
// and max_future at the 1-minute step the file was filled in for, so
// samples one (5-minute) step late were dead-lettered, unlike a run
// without the file.
func TestRunStepOverrideCarriesTheOneStepDefaults(t *testing.T) {
	example := filepath.Join("..", "..", "deploy", "scalora.example.yaml")
	for name, o := range map[string]runOptions{
		"example config": {config: example, step: 5 * time.Minute},
		"no config":      {step: 5 * time.Minute},
	} {
		cfg, err := runConfig(o)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if cfg.Window.Step != 5*time.Minute || cfg.Window.AllowedLateness != 5*time.Minute ||
			cfg.Decision.Step != 5*time.Minute || cfg.Limits.MaxFuture != 5*time.Minute {
			t.Errorf("%s: step %s, lateness %s, decision step %s, max future %s; want 5m each", name,
				cfg.Window.Step, cfg.Window.AllowedLateness, cfg.Decision.Step, cfg.Limits.MaxFuture)
		}
	}
}

func TestRunConfigNamesTheFileOfABadSetting(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("forecast:\n  blend: hosts\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := runConfig(runOptions{config: bad})
	if err == nil || !strings.Contains(err.Error(), "config "+bad) || !strings.Contains(err.Error(), `forecast.blend "hosts"`) {
		t.Fatalf("err %v, want it to name the file and forecast.blend", err)
	}
}
