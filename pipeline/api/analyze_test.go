package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas/trace"
	"github.com/scalora/scalora/schemas/trace/tracetest"
	"github.com/scalora/scalora/stages/simulate"
)

// cliJSON is what "scalora analyze --format json" prints for path: the
// command calls simulate.Analyze on trace.ReadAny and encodes it with a
// two-space indent.
func cliJSON(t *testing.T, path string, o simulate.AnalyzeOptions) []byte {
	t.Helper()
	s, err := trace.ReadAny(path)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := simulate.Analyze(s, o)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func multipartBody(t *testing.T, name string, data []byte) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.WriteField("note", "ignored")
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(data)
	_ = mw.Close()
	return &b, mw.FormDataContentType()
}

func TestAnalyzeAnswersExactlyTheCommandsJSON(t *testing.T) {
	path := tracetest.SharedFile(t, "nab/realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, nil)
	want := cliJSON(t, path, simulate.AnalyzeOptions{Instances: 6, Provider: "gcp"})

	body, ct := multipartBody(t, "ec2_cpu_utilization_24ae8d.csv", data)
	rec := f.do(t, "POST", "/v1/analyze?instances=6&provider=gcp", body, "Content-Type", ct)
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if !bytes.Equal(rec.Body.Bytes(), want) {
		t.Errorf("multipart answer differs from the command's JSON (%d vs %d bytes)", rec.Body.Len(), len(want))
	}
	checkSchema(t, rec.Body.Bytes(), "AnalysisReport")

	// The raw body gives the same analysis under the name given.
	rec = f.do(t, "POST", "/v1/analyze?instances=6&provider=gcp&name=ec2_cpu_utilization_24ae8d", bytes.NewReader(data))
	if !bytes.Equal(rec.Body.Bytes(), want) {
		t.Errorf("raw-body answer differs from the command's JSON: %d %.200s", rec.Code, rec.Body)
	}
}

func TestMalformedUploadGets400NamingTheLine(t *testing.T) {
	f := newFixture(t, nil)
	csv := "timestamp,value\n2026-01-01 00:00:00,10\n2026-01-01 00:05:00,11\n2026-01-01 00:10:00,eleven\n"
	p := problem(t, f.do(t, "POST", "/v1/analyze", strings.NewReader(csv)), http.StatusBadRequest)
	if !strings.Contains(p.Detail, "line 4") {
		t.Errorf("detail %q does not name line 4", p.Detail)
	}

	p = problem(t, f.do(t, "POST", "/v1/analyze", strings.NewReader("hello\n")), http.StatusBadRequest)
	if !strings.Contains(p.Detail, "unknown trace format") {
		t.Errorf("detail %q", p.Detail)
	}

	body, ct := multipartBody(t, "x.csv", nil)
	body.Reset()
	problem(t, f.do(t, "POST", "/v1/analyze", body, "Content-Type", ct), http.StatusBadRequest)

	problem(t, f.do(t, "POST", "/v1/analyze?instances=0", strings.NewReader(csv)), http.StatusBadRequest)
	problem(t, f.do(t, "POST", "/v1/analyze?cost_per_hour=NaN", strings.NewReader(csv)), http.StatusBadRequest)
}

func TestOversizedUploadGets413(t *testing.T) {
	f := newFixture(t, func(c *Config, _ *Deps) { c.MaxUploadBytes = 100 })
	csv := "timestamp,value\n" + strings.Repeat("2026-01-01 00:00:00,10\n", 10)
	p := problem(t, f.do(t, "POST", "/v1/analyze", strings.NewReader(csv)), http.StatusRequestEntityTooLarge)
	if !strings.Contains(p.Detail, "100 bytes") {
		t.Errorf("detail %q", p.Detail)
	}
	// The slot is free again.
	if n := len(f.srv.analyses); n != 0 {
		t.Errorf("%d analysis slots still taken", n)
	}
}

func TestAnalysesBeyondTheCapGet429(t *testing.T) {
	f := newFixture(t, func(c *Config, _ *Deps) { c.MaxConcurrentAnalyses = 1 })
	f.srv.analyses <- struct{}{} // one analysis running
	rec := f.do(t, "POST", "/v1/analyze", strings.NewReader("timestamp,value\n"))
	problem(t, rec, http.StatusTooManyRequests)
	if rec.Header().Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	<-f.srv.analyses
}

func TestAnalysisOfAnUnknownInstanceTypeIs422(t *testing.T) {
	f := newFixture(t, nil)
	csv := "timestamp,value\n2026-01-01 00:00:00,10\n2026-01-01 00:05:00,11\n2026-01-01 00:10:00,12\n"
	p := problem(t, f.do(t, "POST", "/v1/analyze?instance_type=nope", strings.NewReader(csv)), http.StatusUnprocessableEntity)
	if !strings.Contains(p.Detail, "nope") {
		t.Errorf("detail %q", p.Detail)
	}
}

// Regression: the last line cut short by the size limit was parsed before
// the scanner reported the limit, so an oversized upload got 400 "line
// 2850: want 2 comma-separated fields" instead of 413.
func TestUploadCutByTheLimitIs413NotALineError(t *testing.T) {
	f := newFixture(t, func(c *Config, _ *Deps) { c.MaxUploadBytes = 64 << 10 })
	big := "timestamp,value\n" + strings.Repeat("2026-01-01 00:00:00,10\n", 4000)
	problem(t, f.do(t, "POST", "/v1/analyze", strings.NewReader(big)), http.StatusRequestEntityTooLarge)
}

func TestAnalysisPastTheRequestTimeoutIs503AndFreesItsSlot(t *testing.T) {
	f := newFixture(t, func(c *Config, _ *Deps) { c.RequestTimeout = time.Nanosecond })
	csv := "timestamp,value\n" + strings.Repeat("2026-01-01 00:00:00,10\n", 1) +
		"2026-01-01 00:05:00,11\n2026-01-01 00:10:00,12\n"
	p := problem(t, f.do(t, "POST", "/v1/analyze", strings.NewReader(csv)), http.StatusServiceUnavailable)
	if !strings.Contains(p.Detail, "request_timeout") {
		t.Errorf("detail %q", p.Detail)
	}

	deadline := time.Now().Add(10 * time.Second)
	for len(f.srv.analyses) != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the timed-out analysis never freed its slot")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestAnalyzeAnswersTheHTMLPageOnRequest(t *testing.T) {
	f := newFixture(t, nil)
	csv := "timestamp,value\n"
	for i := range 60 {
		csv += fmt.Sprintf("2026-01-01 %02d:%02d:00,%d\n", i/12, i%12*5, 20+i%9)
	}
	rec := f.do(t, "POST", "/v1/analyze?format=html", strings.NewReader(csv))
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") ||
		!strings.Contains(strings.ToLower(rec.Body.String()), "<html") {
		t.Errorf("%d %s %.200s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	problem(t, f.do(t, "POST", "/v1/analyze?format=xml", strings.NewReader(csv)), http.StatusBadRequest)
}

// A generic CSV of several columns is analysed once cpu_column names its
// CPU column; without it the 400 says to choose one.
func TestUploadOfAGenericCSVTakesItsColumnsByName(t *testing.T) {
	f := newFixture(t, nil)
	var b strings.Builder
	b.WriteString("when,min cpu,max cpu,avg cpu\n")
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 400 {
		v := 40 + float64(i%30)
		fmt.Fprintf(&b, "%s,%g,%g,%g\n", t0.Add(time.Duration(i)*5*time.Minute).Format("2006-01-02 15:04:05"), v-5, v+5, v)
	}

	p := problem(t, f.do(t, "POST", "/v1/analyze?time_column=when", strings.NewReader(b.String())), http.StatusBadRequest)
	if !strings.Contains(p.Detail, "choose the CPU column") {
		t.Errorf("detail %q does not ask for the CPU column", p.Detail)
	}

	rec := f.do(t, "POST", "/v1/analyze?time_column=when&cpu_column=avg+cpu", strings.NewReader(b.String()))
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %.300s", rec.Code, rec.Body)
	}
	var rep simulate.Report
	if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Steps != 400 || rep.FormatDetected != "generic_csv" {
		t.Errorf("%d steps, format %q; want 400 of generic_csv", rep.Steps, rep.FormatDetected)
	}
}
