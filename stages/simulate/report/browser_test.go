package report

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// chromium finds Debian's chromium, or skips (fails when
// SCALORA_REQUIRE_BROWSER=1, as CI sets it).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("SCALORA_REQUIRE_BROWSER") == "1" {
		t.Fatal("chromium not found and SCALORA_REQUIRE_BROWSER=1 (apt-get install -y chromium)")
	}
	t.Skip("chromium not found: install Debian's chromium package to run the browser test")
	return ""
}

// openPage loads html in headless Chromium, with the network off, and
// returns the DOM after load and the browser's log.
func openPage(t *testing.T, html []byte) (dom, log string) {
	t.Helper()
	bin := chromium(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "report.html")
	if err := os.WriteFile(file, html, 0o644); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--enable-logging=stderr", "--v=0",
		"--window-size=1200,2000", "--virtual-time-budget=5000",
		"--dump-dom", "file://"+file)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	return stdout.String(), stderr.String()
}

// consoleLines are the page's console messages in Chromium's log.
func consoleLines(log string) []string {
	var out []string
	for _, l := range strings.Split(log, "\n") {
		if strings.Contains(l, "CONSOLE") {
			out = append(out, l)
		}
	}
	return out
}

func bodyAttr(t *testing.T, dom, name string) string {
	t.Helper()
	m := regexp.MustCompile(`<body[^>]*\s` + name + `="([^"]*)"`).FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("no %s on <body> in the dumped DOM:\n%.2000s", name, dom)
	}
	return m[1]
}

func TestChartsRenderInChromium(t *testing.T) {
	r := testReport(t)
	if len(r.Anomalies) == 0 || len(r.Decisions) == 0 {
		t.Fatalf("test report has %d anomalies and %d decisions; want some of each to draw",
			len(r.Anomalies), len(r.Decisions))
	}
	var buf bytes.Buffer
	if err := RenderHTML(&buf, r); err != nil {
		t.Fatal(err)
	}

	dom, log := openPage(t, buf.Bytes())

	if got := bodyAttr(t, dom, "data-rendered"); got != "3" {
		t.Fatalf("data-rendered = %s, want 3 charts drawn; console:\n%s", got, strings.Join(consoleLines(log), "\n"))
	}
	if got := bodyAttr(t, dom, "data-errors"); got != "0" {
		t.Fatalf("data-errors = %s; console:\n%s", got, strings.Join(consoleLines(log), "\n"))
	}
	if c := consoleLines(log); len(c) > 0 {
		t.Fatalf("console messages:\n%s", strings.Join(c, "\n"))
	}
	if n := strings.Count(dom, "<canvas"); n != 3 {
		t.Fatalf("%d canvases in the DOM, want 3", n)
	}
	for _, want := range []string{"predictive", "reactive", "saved vs static", "Acceptance:"} {
		if !strings.Contains(dom, want) {
			t.Fatalf("rendered page lacks %q", want)
		}
	}
}

// The harness itself must see a broken page: a script error counts and
// reaches the console log.
func TestBrowserHarnessSeesScriptErrors(t *testing.T) {
	page := `<!DOCTYPE html><html><body data-rendered="0" data-errors="0">
<script>window.addEventListener("error", function () {
  document.body.setAttribute("data-errors", "1"); });</script>
<script>undefinedFunction();</script></body></html>`

	dom, log := openPage(t, []byte(page))

	if got := bodyAttr(t, dom, "data-errors"); got != "1" {
		t.Fatalf("data-errors = %s, want 1", got)
	}
	if len(consoleLines(log)) == 0 {
		t.Fatalf("the error did not reach the console log:\n%s", log)
	}
}
