package app

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// nastyConfigs seed FuzzLoad: malformed YAML, wrong types, negative and
// huge numbers, and YAML features a hand-written file rarely uses.
var nastyConfigs = []string{
	"",
	"---\n",
	"~\n",
	"[]\n",
	"- a\n- b\n",
	"kafka: [\n",
	"kafka:\n  partitions: -1\n",
	"kafka:\n  partitions: 99999999999999999999\n",
	"kafka:\n  partitions: 1e3\n",
	"kafka:\n  partitions: \"4\"\n",
	"kafka:\n  commit_interval: -1s\n",
	"kafka:\n  commit_interval: 9999999h\n",
	"kafka:\n  brokers: 127.0.0.1:9092\n",
	"window:\n  step: -5m\n",
	"window:\n  step: 0.5ns\n",
	"window:\n  size: -24\n",
	"window:\n  size: 1e100\n",
	"window:\n  max_hosts: -1\n",
	"window:\n  aggregate: median\n",
	"outbox:\n  flush_rows: -1\n",
	"outbox:\n  flush_rows: 10\n  max_pending_rows: 5\n",
	"limits:\n  max_cpu: .nan\n",
	"limits:\n  max_cpu: .inf\n",
	"limits:\n  max_cpu: -.inf\n",
	"limits:\n  max_message_bytes: -4096\n",
	"limits:\n  max_past: -1h\n",
	"anomaly:\n  threshold: -1\n",
	"anomaly:\n  threshold: .nan\n",
	"anomaly:\n  history_size: -100\n",
	"shutdown_timeout: -30s\n",
	"shutdown_timeout: yes\n",
	"decision:\n  groups:\n    web: {instances: -3}\n",
	"decision:\n  groups:\n    \"\": {instances: 3}\n",
	"store:\n  backend: chdb\n  database: \"x; DROP DATABASE system\"\n",
	"topics:\n  samples: \"\"\n",
	"topics:\n  samples: a\n  forecasts: a\n",
	"a: &a [*a, *a]\n",
	"kafka: &k {client_id: x}\nhttp: *k\n",
	"data_dir: ${HOME}/${NO_SUCH_VAR_SCALORA}\n",
	"data_dir: \"\\0\"\n",
	"kafka:\n  client_id: x\nkafka:\n  client_id: y\n",
	"\xef\xbb\xbfdata_dir: x\n",
	"\x00\xff",
	"data_dir: x\n---\ndata_dir: y\n",
	"window: !!binary aGVsbG8=\n",
}

// FuzzLoad checks that Load never panics on any file, that every refusal
// says why, and that every accepted configuration passes its own Validate.
func FuzzLoad(f *testing.F) {
	for _, s := range nastyConfigs {
		f.Add([]byte(s))
	}
	if raw, err := os.ReadFile(filepath.Join("..", "..", "deploy", "scalora.example.yaml")); err == nil {
		f.Add(raw)
	}

	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, raw []byte) {
		path := filepath.Join(dir, "config.yaml")
		if err := os.WriteFile(path, raw, 0o600); err != nil {
			t.Fatal(err)
		}

		c, err := Load(path)
		if err != nil {
			if strings.TrimSpace(err.Error()) == "" {
				t.Fatalf("Load(%q) failed with an empty message", raw)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("Load(%q) returned a config its Validate refuses: %v", raw, err)
		}
	})
}

// TestLoadRejectsImpossibleNumbers pins the refusals Load makes today.
func TestLoadRejectsImpossibleNumbers(t *testing.T) {
	cases := map[string]string{
		"negative partitions":    "kafka:\n  partitions: -1\n",
		"partitions overflow":    "kafka:\n  partitions: 99999999999999999999\n",
		"partitions as text":     "kafka:\n  partitions: \"4\"\n",
		"negative outbox":        "outbox:\n  flush_rows: -1\n",
		"outbox inverted":        "outbox:\n  flush_rows: 10\n  max_pending_rows: 5\n",
		"negative message bytes": "limits:\n  max_message_bytes: -4096\n",
		"negative max_cpu":       "limits:\n  max_cpu: -.inf\n",
		"negative max_past":      "limits:\n  max_past: -1h\n",
		"malformed yaml":         "kafka: [\n",
		"duration as bool":       "shutdown_timeout: yes\n",
		"binary window":          "window: !!binary aGVsbG8=\n",
	}
	for name, yml := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := loadString(t, yml); err == nil {
				t.Fatalf("Load accepted %q", yml)
			}
		})
	}
}

// TestLoadRejectsSecondYAMLDocument pins that Load decodes only the first
// document of a file: settings after a "---" (two files concatenated, or
// an override appended) are silently ignored.
func TestLoadRejectsSecondYAMLDocument(t *testing.T) {
	c, err := loadString(t, "data_dir: first\n---\ndata_dir: second\nkafka:\n  partitions: -1\n")
	if err == nil {
		t.Errorf("a second document loads and is ignored: data_dir %q", c.DataDir)
	}
}

// TestLoadRejectsNaNOrInfiniteMaxCPU pins a hole in Config.Validate:
// "max_cpu <= 0" is false for NaN, so limits.max_cpu: .nan loads, and
// schemas.DecodeSample then accepts every finite CPU ("cpu > NaN" is
// false too): cpu 1e308 reaches the stages. .inf does the same openly.
func TestLoadRejectsNaNOrInfiniteMaxCPU(t *testing.T) {
	for _, v := range []string{".nan", ".inf"} {
		if c, err := loadString(t, "limits:\n  max_cpu: "+v+"\n"); err == nil {
			t.Errorf("max_cpu %s loads as %g: every finite cpu would be accepted", v, c.Limits.MaxCPU)
		}
	}
}

// TestLoadRejectsWhatBuildStagesRefuses pins a gap between Load and the
// stages: Config.Validate checks neither the window nor the anomaly
// section, so these files load and the process fails only later, in
// app.New, after the broker and store are opened.
func TestLoadRejectsWhatBuildStagesRefuses(t *testing.T) {
	cases := map[string]string{
		"negative window size":  "window:\n  size: -24\n",
		"unknown aggregate":     "window:\n  aggregate: median\n",
		"negative max hosts":    "window:\n  max_hosts: -1\n",
		"nan anomaly threshold": "anomaly:\n  threshold: .nan\n",
	}
	for name, yml := range cases {
		t.Run(name, func(t *testing.T) {
			c, err := loadString(t, yml)
			if err != nil {
				return
			}
			cat, berr := loadCatalog(c.Prices)
			if berr == nil {
				_, berr = buildStages(c, cat, slog.New(slog.DiscardHandler))
			}
			if berr != nil {
				t.Fatalf("Load accepted %q, which buildStages refuses: %v", yml, berr)
			}
			t.Fatalf("Load accepted %q", yml)
		})
	}
}

// TestLoadRejectsNegativeShutdownTimeout pins that a negative
// shutdown_timeout loads: App.Run's shutdown then starts with an expired
// context, so the final outbox flush and offset commit on SIGTERM fail at
// once (the records are replayed on restart, but the windows' state is
// lost and the shutdown logs an error every time).
func TestLoadRejectsNegativeShutdownTimeout(t *testing.T) {
	if c, err := loadString(t, "shutdown_timeout: -30s\n"); err == nil {
		t.Errorf("shutdown_timeout loads as %s", c.ShutdownTimeout)
	}
}

func loadString(t *testing.T, yml string) (Config, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(yml), 0o600); err != nil {
		t.Fatal(err)
	}
	return Load(path)
}
