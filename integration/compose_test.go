package integration

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/scalora/scalora/pipeline/app"
)

// repoRoot is the folder holding go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

// loadCompose loads docker-compose.yml with compose-go, paths resolved
// against the repository root, as "docker compose" would.
func loadCompose(t *testing.T) *types.Project {
	t.Helper()
	root := repoRoot(t)
	opts, err := cli.NewProjectOptions(
		[]string{filepath.Join(root, "docker-compose.yml")},
		cli.WithWorkingDirectory(root),
		cli.WithName("scalora"),
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		t.Fatal(err)
	}
	p, err := opts.LoadProject(context.Background())
	if err != nil {
		t.Fatalf("load docker-compose.yml: %v", err)
	}
	return p
}

// TestComposeFileReferencesOnlyExistingFiles loads docker-compose.yml and
// checks every bind mount's source, every build context and Dockerfile,
// and the files the Dockerfile copies exist, and that the files mounted
// into the services are what those services expect.
func TestComposeFileReferencesOnlyExistingFiles(t *testing.T) {
	p := loadCompose(t)

	for _, want := range []string{"kafka", "clickhouse", "scalora", "producer", "grafana"} {
		if _, err := p.GetService(want); err != nil {
			t.Errorf("service %s: %v", want, err)
		}
	}

	for _, s := range p.Services {
		for _, v := range s.Volumes {
			if v.Type != types.VolumeTypeBind {
				continue
			}
			if _, err := os.Stat(v.Source); err != nil {
				t.Errorf("service %s mounts %s: %v", s.Name, v.Source, err)
			}
		}
		if s.Build == nil {
			continue
		}
		dockerfile := filepath.Join(s.Build.Context, s.Build.Dockerfile)
		if _, err := os.Stat(dockerfile); err != nil {
			t.Errorf("service %s builds from %s: %v", s.Name, dockerfile, err)
			continue
		}
		for _, src := range dockerfileCopies(t, dockerfile) {
			matches, _ := filepath.Glob(filepath.Join(s.Build.Context, src))
			if len(matches) == 0 {
				t.Errorf("%s copies %s, which matches no file", dockerfile, src)
			}
		}
	}
}

func TestComposeScaloraConfigIsMountedAndValid(t *testing.T) {
	p := loadCompose(t)
	s, err := p.GetService("scalora")
	if err != nil {
		t.Fatal(err)
	}

	cfgPath := flagValue(s.Command, "--config")
	src := mountSource(s, cfgPath)
	if src == "" {
		t.Fatalf("scalora runs with --config %q, which no volume mounts", cfgPath)
	}
	t.Setenv("SCALORA_API_KEYS", "change-me") // docker-compose.yml's default for the scalora service
	cfg, err := app.Load(src)
	if err != nil {
		t.Fatalf("the mounted config does not load: %v", err)
	}
	if cfg.Store.Backend != "clickhouse" || cfg.Store.Addr[0] != "clickhouse:9000" {
		t.Errorf("store %s at %v, want the compose ClickHouse service", cfg.Store.Backend, cfg.Store.Addr)
	}
	if cfg.HTTP.Addr != "0.0.0.0:8080" {
		t.Errorf("http.addr %q: the published port 8080 would not reach it", cfg.HTTP.Addr)
	}

	// The store pings its database before migrating, so the server must
	// create it.
	ch, err := p.GetService("clickhouse")
	if err != nil {
		t.Fatal(err)
	}
	if db := ch.Environment["CLICKHOUSE_DB"]; db == nil || *db != cfg.Store.Database {
		t.Errorf("clickhouse does not create the database %s at start (CLICKHOUSE_DB)", cfg.Store.Database)
	}

	// The producer replays a trace the image holds (Dockerfile copies
	// cmd/scalora/traces/*.csv to /usr/share/scalora/traces).
	prod, err := p.GetService("producer")
	if err != nil {
		t.Fatal(err)
	}
	trace := prod.Command[len(prod.Command)-1]
	local := filepath.Join(repoRoot(t), "cmd", "scalora", "traces", filepath.Base(trace))
	if !strings.HasPrefix(trace, "/usr/share/scalora/traces/") {
		t.Errorf("producer replays %s, outside the image's trace folder", trace)
	} else if _, err := os.Stat(local); err != nil {
		t.Errorf("producer replays %s: %v", trace, err)
	}
}

func TestComposeGrafanaHasPluginProvisioningAndDashboards(t *testing.T) {
	p := loadCompose(t)
	g, err := p.GetService("grafana")
	if err != nil {
		t.Fatal(err)
	}

	plugins := g.Environment["GF_PLUGINS_PREINSTALL_SYNC"]
	if plugins == nil || !strings.Contains(*plugins, "grafana-clickhouse-datasource") {
		t.Error("grafana does not install grafana-clickhouse-datasource")
	}

	prov := mountSource(g, "/etc/grafana/provisioning")
	if prov == "" {
		t.Fatal("no provisioning mounted at /etc/grafana/provisioning")
	}
	ds, err := os.ReadFile(filepath.Join(prov, "datasources", "clickhouse.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"uid: scalora-clickhouse", "type: grafana-clickhouse-datasource", "host: clickhouse"} {
		if !strings.Contains(string(ds), want) {
			t.Errorf("data source provisioning lacks %q", want)
		}
	}

	prov2, err := os.ReadFile(filepath.Join(prov, "dashboards", "scalora.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dashPath := yamlValue(string(prov2), "path")
	dashDir := mountSource(g, dashPath)
	if dashDir == "" {
		t.Fatalf("the dashboard provider reads %q, which no volume mounts", dashPath)
	}
	for _, f := range []string{"live.json", "savings.json", "model-quality.json", "pipeline-health.json"} {
		if _, err := os.Stat(filepath.Join(dashDir, f)); err != nil {
			t.Errorf("dashboard %s: %v", f, err)
		}
	}

	home := g.Environment["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
	if home == nil || mountSource(g, *home) == "" {
		t.Error("the home dashboard path is not inside a mounted folder")
	}
}

// mountSource is the host path that service s sees at target (a mount's
// target or a file below it), or "".
func mountSource(s types.ServiceConfig, target string) string {
	for _, v := range s.Volumes {
		if v.Type != types.VolumeTypeBind || target == "" {
			continue
		}
		if target == v.Target {
			return v.Source
		}
		if rel, ok := strings.CutPrefix(target, v.Target+"/"); ok {
			return filepath.Join(v.Source, rel)
		}
	}
	return ""
}

func flagValue(args []string, name string) string {
	for i, a := range args {
		if a == name && i+1 < len(args) {
			return args[i+1]
		}
		if v, ok := strings.CutPrefix(a, name+"="); ok {
			return v
		}
	}
	return ""
}

// yamlValue returns the first "key: value" value in text.
func yamlValue(text, key string) string {
	for _, line := range strings.Split(text, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), key+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// dockerfileCopies returns the sources of the COPY lines that copy from
// the build context (not --from another stage).
func dockerfileCopies(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 3 || fields[0] != "COPY" || strings.HasPrefix(fields[1], "--from") {
			continue
		}
		out = append(out, fields[1:len(fields)-1]...)
	}
	return out
}
