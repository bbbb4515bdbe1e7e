package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/testcontainers/testcontainers-go"
	tcclickhouse "github.com/testcontainers/testcontainers-go/modules/clickhouse"
	tckafka "github.com/testcontainers/testcontainers-go/modules/kafka"
	"github.com/testcontainers/testcontainers-go/network"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/scalora/scalora/dashboards"
	"github.com/scalora/scalora/pipeline/app"
	"github.com/scalora/scalora/pipeline/kafka"
	"github.com/scalora/scalora/schemas/trace"
)

// Images of the stack suite; SCALORA_KAFKA_IMAGE and
// SCALORA_GRAFANA_IMAGE override them (SCALORA_CLICKHOUSE_IMAGE as in
// clickhouse_store_test.go).
const (
	kafkaImage   = "confluentinc/confluent-local:7.5.0"
	grafanaImage = "grafana/grafana:12.1.0"
)

// stack is Kafka, ClickHouse and Grafana in containers on one network,
// ClickHouse reachable from Grafana as "clickhouse" with the credentials
// of deploy/grafana's data source.
type stack struct {
	brokers    []string
	clickhouse string // host:port of the native protocol, from the test
	grafana    string // base URL, from the test
}

func startStack(t *testing.T) stack {
	t.Helper()
	t.Log("the stack suite needs a Docker engine (Kafka, ClickHouse and Grafana containers); " +
		"without one it is skipped, and the same queries run on chDB in dashboards/ and cmd/scalora")
	testcontainers.SkipIfProviderIsNotHealthy(t)
	ctx := context.Background()

	nw, err := network.New(ctx)
	testcontainers.CleanupNetwork(t, nw)
	if err != nil {
		t.Fatalf("network: %v", err)
	}

	var st stack
	k, err := tckafka.Run(ctx, envOr("SCALORA_KAFKA_IMAGE", kafkaImage), tckafka.WithClusterID("scalora-it"))
	testcontainers.CleanupContainer(t, k)
	if err != nil {
		t.Fatalf("start kafka: %v", err)
	}
	if st.brokers, err = k.Brokers(ctx); err != nil {
		t.Fatal(err)
	}

	ch, err := tcclickhouse.Run(ctx, envOr("SCALORA_CLICKHOUSE_IMAGE", clickhouseImage),
		tcclickhouse.WithUsername("scalora"), tcclickhouse.WithPassword("scalora"),
		tcclickhouse.WithDatabase("scalora"),
		network.WithNetwork([]string{"clickhouse"}, nw))
	testcontainers.CleanupContainer(t, ch)
	if err != nil {
		t.Fatalf("start clickhouse: %v", err)
	}
	if st.clickhouse, err = ch.ConnectionHost(ctx); err != nil {
		t.Fatal(err)
	}

	g, err := testcontainers.Run(ctx, envOr("SCALORA_GRAFANA_IMAGE", grafanaImage),
		testcontainers.WithExposedPorts("3000/tcp"),
		testcontainers.WithEnv(map[string]string{
			"GF_PLUGINS_PREINSTALL_SYNC": "grafana-clickhouse-datasource",
			"GF_SECURITY_ADMIN_PASSWORD": "admin",
		}),
		testcontainers.WithFiles(grafanaFiles(t)...),
		network.WithNetwork([]string{"grafana"}, nw),
		testcontainers.WithWaitStrategy(wait.ForHTTP("/api/health").WithPort("3000/tcp").
			WithStartupTimeout(3*time.Minute)),
	)
	testcontainers.CleanupContainer(t, g)
	if err != nil {
		t.Fatalf("start grafana: %v", err)
	}
	if st.grafana, err = g.PortEndpoint(ctx, "3000/tcp", "http"); err != nil {
		t.Fatal(err)
	}
	return st
}

// grafanaFiles copies deploy/grafana's provisioning and the generated
// dashboards to where docker-compose.yml mounts them.
func grafanaFiles(t *testing.T) []testcontainers.ContainerFile {
	root := repoRoot(t)
	files := []testcontainers.ContainerFile{
		{HostFilePath: filepath.Join(root, "deploy/grafana/provisioning/datasources/clickhouse.yaml"),
			ContainerFilePath: "/etc/grafana/provisioning/datasources/clickhouse.yaml", FileMode: 0o644},
		{HostFilePath: filepath.Join(root, "deploy/grafana/provisioning/dashboards/scalora.yaml"),
			ContainerFilePath: "/etc/grafana/provisioning/dashboards/scalora.yaml", FileMode: 0o644},
	}
	for _, b := range dashboards.Boards() {
		files = append(files, testcontainers.ContainerFile{
			HostFilePath:      filepath.Join(root, "dashboards", b.File),
			ContainerFilePath: "/var/lib/grafana/dashboards/scalora/" + b.File, FileMode: 0o644,
		})
	}
	return files
}

// TestStackPipelineClickHouseAndGrafana runs the pipeline against Kafka
// and ClickHouse containers through clickhouse-go, checks the tables and
// views, and checks that Grafana reports the provisioned data source
// healthy and lists every generated dashboard.
func TestStackPipelineClickHouseAndGrafana(t *testing.T) {
	st := startStack(t)
	files := sharedTraces(t, "nab/realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	cfg := testConfig(t, st.brokers)
	cfg.Store.Backend = "clickhouse"
	cfg.Store.Addr = []string{st.clickhouse}
	cfg.Store.Username, cfg.Store.Password = "scalora", "scalora"
	cfg.Store.Path = ""
	a, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- a.Run(runCtx) }()
	defer func() {
		stop()
		<-done
	}()

	s, err := trace.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	pts := rebase(s.Points[:300], cfg.Window.Step)
	pub, err := kafka.NewPublisher(kafka.PublisherConfig{Config: kafka.Config{Brokers: st.brokers}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	publishTrace(t, pub, cfg.Topics.Samples, "stack-host-1", pts)

	waitFor(t, ctx, "pipeline to take every sample", func() bool { return a.Processed() >= int64(len(pts)) })
	if err := a.Flush(ctx); err != nil {
		t.Fatal(err)
	}

	for _, q := range []string{
		"SELECT count() FROM steps FINAL",
		"SELECT count() FROM forecast_accuracy",
		"SELECT count() FROM costs_daily",
		"SELECT count() FROM schema_migrations FINAL",
	} {
		res, err := a.Store().Query(ctx, q)
		if err != nil {
			t.Errorf("%s: %v", q, err)
			continue
		}
		if fmt.Sprint(res.Rows[0][0]) == "0" {
			t.Errorf("%s: 0", q)
		}
	}

	var health struct {
		Status  string `json:"status"`
		Message string `json:"message"`
	}
	grafanaGet(t, st.grafana+"/api/datasources/uid/"+dashboards.DatasourceUID+"/health", &health)
	if health.Status != "OK" {
		t.Errorf("data source health %q: %s", health.Status, health.Message)
	}

	var found []struct {
		UID string `json:"uid"`
	}
	grafanaGet(t, st.grafana+"/api/search?type=dash-db&tag=scalora", &found)
	uids := map[string]bool{}
	for _, f := range found {
		uids[f.UID] = true
	}
	for _, b := range dashboards.Boards() {
		if !uids[b.UID] {
			t.Errorf("dashboard %s not provisioned (found %v)", b.UID, found)
		}
	}
}

func grafanaGet(t *testing.T, url string, out any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth("admin", "admin")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s: %s", url, resp.Status, body)
	}
	if err := json.Unmarshal(body, out); err != nil {
		t.Fatalf("GET %s: %v: %s", url, err, body)
	}
}
