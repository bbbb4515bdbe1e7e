package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/scalora/scalora/pipeline"
	"github.com/scalora/scalora/pipeline/api"
	"github.com/scalora/scalora/schemas/trace"
	"github.com/scalora/scalora/schemas/trace/tracetest"
	"github.com/scalora/scalora/stages/simulate"
)

const e2eKey = "e2e-key"

// startAPIApp runs the embedded default with an API key and returns its
// base URL.
func startAPIApp(t *testing.T, maxUpload int64) (*App, string, func()) {
	t.Helper()
	t.Setenv(api.EnvKeys, "")
	var c Config
	c.DataDir = t.TempDir()
	c.HTTP.Addr = "127.0.0.1:0"
	c.Kafka.EmbeddedPort = -1
	c.Kafka.CommitInterval = 100 * time.Millisecond
	c.API.Keys = []string{e2eKey}
	c.API.MaxUploadBytes = maxUpload

	a, err := New(context.Background(), c, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()

	wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer wcancel()
	return a, "http://" + a.HTTPAddr(wctx), func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	}
}

func call(t *testing.T, method, url, key, ctype string, body io.Reader) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// validate checks an answer against a schema of the served OpenAPI document.
func validate(t *testing.T, body []byte, name string) {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(api.OpenAPI))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	_ = c.AddResource("mem:///openapi.json", doc)
	s, err := c.Compile("mem:///openapi.json#/components/schemas/" + name)
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s: %v: %s", name, err, body)
	}
	if err := s.Validate(v); err != nil {
		t.Errorf("%s: %v", name, err)
	}
}

func TestSamplesPostedOverHTTPReachTheLiveEndpoints(t *testing.T) {
	requireCHDB(t)
	a, base, stop := startAPIApp(t, 0)
	defer stop()

	var ndjson strings.Builder
	start := time.Now().Add(-time.Hour).Truncate(time.Minute)
	for i := range 40 {
		fmt.Fprintf(&ndjson, `{"v":1,"host":"web-1","group":"web","ts":%q,"cpu":%d}`+"\n",
			start.Add(time.Duration(i)*time.Minute).Format(time.RFC3339), 20+i%7)
	}
	ndjson.WriteString(`{"v":1,"host":"web-1","ts":"2001-01-01T00:00:00Z","cpu":5}` + "\n")

	if code, _ := call(t, "POST", base+"/v1/samples", "", "", strings.NewReader(ndjson.String())); code != 401 {
		t.Fatalf("without a key: %d", code)
	}
	code, body := call(t, "POST", base+"/v1/samples", e2eKey, "application/x-ndjson", strings.NewReader(ndjson.String()))
	var res api.SamplesResult
	_ = json.Unmarshal(body, &res)
	if code != 200 || res.Accepted != 40 || res.Rejected != 1 || res.Rejections[0].Index != 40 ||
		res.Rejections[0].Reason != "invalid_time" {
		t.Fatalf("post samples: %d %s", code, body)
	}

	waitProcessed(t, a, 40)
	if err := a.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}

	code, body = call(t, "GET", base+"/v1/hosts/web-1/live", e2eKey, "", nil)
	validate(t, body, "HostStatus")
	var h pipeline.HostStatus
	_ = json.Unmarshal(body, &h)
	if code != 200 || !h.Ready || len(h.Forecast) != 12 || h.PredictedCPU != h.Forecast[0] || h.Group != "web" {
		t.Errorf("host live: %d %s", code, body)
	}

	code, body = call(t, "GET", base+"/v1/groups/web/live", e2eKey, "", nil)
	validate(t, body, "GroupStatus")
	var g pipeline.GroupStatus
	_ = json.Unmarshal(body, &g)
	if code != 200 || g.Decision.Group != "web" || g.Decision.Reason == "" || g.Decision.Target < 1 {
		t.Errorf("group live: %d %s", code, body)
	}

	code, body = call(t, "GET", base+"/v1/reports/savings?group=web", e2eKey, "", nil)
	validate(t, body, "SavingsReport")
	var rep api.SavingsReport
	_ = json.Unmarshal(body, &rep)
	if code != 200 || len(rep.Rows) != 1 || rep.Rows[0].Steps != 38 {
		t.Errorf("savings: %d %s", code, body)
	}

	if code, _ := call(t, "GET", base+"/openapi.json", "", "", nil); code != 200 {
		t.Errorf("openapi: %d", code)
	}
	if code, _ := call(t, "GET", base+"/healthz", "", "", nil); code != 200 {
		t.Errorf("healthz: %d", code)
	}
}

func TestRefusedRequestsLeaveNothingHalfWritten(t *testing.T) {
	requireCHDB(t)
	a, base, stop := startAPIApp(t, 64<<10)
	defer stop()

	good := fmt.Sprintf(`{"v":1,"host":"ghost","ts":%q,"cpu":5}`, time.Now().Add(-time.Hour).Format(time.RFC3339))
	malformed := "[" + good + "," + good + ", {"
	if code, body := call(t, "POST", base+"/v1/samples", e2eKey, "", strings.NewReader(malformed)); code != 400 {
		t.Errorf("malformed samples: %d %s", code, body)
	}

	csv := "timestamp,value\n2026-01-01 00:00:00,10\n2026-01-01 00:05:00,x\n"
	code, body := call(t, "POST", base+"/v1/analyze", e2eKey, "text/csv", strings.NewReader(csv))
	if code != 400 || !strings.Contains(string(body), "line 3") {
		t.Errorf("malformed upload: %d %s", code, body)
	}
	big := "timestamp,value\n" + strings.Repeat("2026-01-01 00:00:00,10\n", 4000)
	if code, body := call(t, "POST", base+"/v1/analyze", e2eKey, "text/csv", strings.NewReader(big)); code != 413 {
		t.Errorf("oversized upload: %d %s", code, body)
	}
	if code, _ := call(t, "PUT", base+"/v1/groups/web/config", e2eKey, "", strings.NewReader(`{"target_utilization":3}`)); code != 422 {
		t.Errorf("invalid group config: %d", code)
	}

	// Give a wrongly published sample time to arrive, then check none did.
	time.Sleep(500 * time.Millisecond)
	if p := a.Processed(); p != 0 {
		t.Errorf("%d samples processed after refused requests", p)
	}
	if _, err := os.Stat(filepath.Join(a.Config().DataDir, "groups", "web.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("refused group config was written: %v", err)
	}
}

func TestCloudWatchUploadIsAnalysedOverHTTP(t *testing.T) {
	requireCHDB(t)
	path := tracetest.SharedFile(t, "nab/realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, base, stop := startAPIApp(t, 0)
	defer stop()

	code, body := call(t, "POST", base+"/v1/analyze?instances=4&name=ec2_cpu_utilization_24ae8d", e2eKey,
		"text/csv", bytes.NewReader(data))
	if code != 200 {
		t.Fatalf("analyze: %d %.300s", code, body)
	}
	validate(t, body, "AnalysisReport")

	var r simulate.Report
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatal(err)
	}
	if r.Trace != "ec2_cpu_utilization_24ae8d" || r.StepSeconds != 300 || r.Steps < 4000 ||
		r.Group.Instances != 4 || r.Group.Provider != "aws" || len(r.Series) != r.Steps {
		t.Errorf("report: trace %s, step %ds, %d steps, group %+v", r.Trace, r.StepSeconds, r.Steps, r.Group)
	}
	if r.FormatDetected != "nab_csv" {
		t.Errorf("format_detected %q, want nab_csv", r.FormatDetected)
	}
	policies := map[string]bool{}
	for _, o := range r.Simulation {
		policies[o.Policy] = true
	}
	for _, p := range []string{"static", "reactive", "predictive"} {
		if !policies[p] {
			t.Errorf("no %s policy in the simulation: %v", p, policies)
		}
	}
}

func TestAnOpenAPIOffLocalhostRefusesToStart(t *testing.T) {
	t.Setenv(api.EnvKeys, "")
	var c Config
	c.DataDir = t.TempDir()
	c.HTTP.Addr = "0.0.0.0:8080"
	_, err := New(context.Background(), c, slog.New(slog.DiscardHandler))
	if !errors.Is(err, api.ErrOpenNonLocal) {
		t.Fatalf("err = %v, want ErrOpenNonLocal", err)
	}

	t.Setenv(api.EnvKeys, "k")
	c.SetDefaults()
	if err := c.Validate(); err != nil {
		t.Errorf("with a key from the environment: %v", err)
	}
}

// A group configuration PUT over the API applies to the running pipeline:
// the next decisions use its floor and its price, without a restart.
func TestGroupConfigPutAppliesLive(t *testing.T) {
	requireCHDB(t)
	a, base, stop := startAPIApp(t, 0)
	defer stop()

	post := func(from, n int) {
		var b strings.Builder
		start := time.Now().Add(-2 * time.Hour).Truncate(time.Minute)
		for i := from; i < from+n; i++ {
			fmt.Fprintf(&b, `{"v":1,"host":"web-1","group":"web","ts":%q,"cpu":20}`+"\n",
				start.Add(time.Duration(i)*time.Minute).Format(time.RFC3339))
		}
		if code, body := call(t, "POST", base+"/v1/samples", e2eKey, "", strings.NewReader(b.String())); code != 200 {
			t.Fatalf("post samples: %d %s", code, body)
		}
	}

	post(0, 30)
	waitProcessed(t, a, 30)

	// Unpriceable: refused before anything is stored or applied.
	code, body := call(t, "PUT", base+"/v1/groups/web/config", e2eKey, "",
		strings.NewReader(`{"instances":20,"min_instances":15,"instance_type":"m5.gigantic"}`))
	if code != 422 {
		t.Fatalf("unknown instance type: %d %s", code, body)
	}

	code, body = call(t, "PUT", base+"/v1/groups/web/config", e2eKey, "",
		strings.NewReader(`{"instances":20,"min_instances":15,"cost_per_hour":1}`))
	if code != 200 {
		t.Fatalf("put config: %d %s", code, body)
	}

	post(30, 30)
	waitProcessed(t, a, 60)
	if err := a.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}

	g, ok := a.Live().Group("web")
	if !ok || g.Decision.Target < 15 || g.Cost.PricePerHour != 1 || g.Cost.StaticInstances != 20 {
		t.Fatalf("after the PUT the group decides with the old config: %+v", g)
	}
}

// The same readings exported the way CloudWatch's console does
// (Timestamp,Average,Unit, newest first) are detected as such and give the
// same analysis.
func TestCloudWatchCSVExportIsDetectedAndAnalysed(t *testing.T) {
	requireCHDB(t)
	series, err := trace.ReadFile(tracetest.SharedFile(t, "nab/realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var export strings.Builder
	export.WriteString("Timestamp,Average,Unit\n")
	for i := len(series.Points) - 1; i >= 0; i-- {
		p := series.Points[i]
		fmt.Fprintf(&export, "%s,%g,Percent\n", p.Time.Format(time.RFC3339), p.CPU)
	}

	_, base, stop := startAPIApp(t, 0)
	defer stop()
	code, body := call(t, "POST", base+"/v1/analyze?instances=4", e2eKey, "text/csv", strings.NewReader(export.String()))
	if code != 200 {
		t.Fatalf("analyze: %d %.300s", code, body)
	}
	var r simulate.Report
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatal(err)
	}
	if r.FormatDetected != "cloudwatch_csv" || r.StepSeconds != 300 || r.Steps < 4000 {
		t.Fatalf("format %q, step %ds, %d steps", r.FormatDetected, r.StepSeconds, r.Steps)
	}
}
