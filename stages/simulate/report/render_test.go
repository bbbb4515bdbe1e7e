package report

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/scalora/scalora/stages/simulate"
)

func TestPageIsSelfContained(t *testing.T) {
	var buf bytes.Buffer
	if err := RenderHTML(&buf, testReport(t)); err != nil {
		t.Fatal(err)
	}
	page := buf.String()

	// Nothing is loaded from elsewhere: no external script, stylesheet,
	// image or frame.
	if m := regexp.MustCompile(`(?i)<(script|link|img|iframe)[^>]*\s(src|href)=`).FindString(page); m != "" {
		t.Fatalf("page loads something: %s", m)
	}
	for _, want := range []string{"uPlot", ".uplot", `id="report-data"`, `data-rendered="0"`} {
		if !strings.Contains(page, want) {
			t.Fatalf("page lacks %q", want)
		}
	}
}

// A trace name is user input: it must not close the script block or add
// markup, and the JSON block must give back the report as analyze --format
// json prints it.
func TestReportJSONSurvivesHostileTraceName(t *testing.T) {
	r := testReport(t)
	var buf bytes.Buffer
	if err := RenderHTML(&buf, r); err != nil {
		t.Fatal(err)
	}
	page := buf.String()

	if strings.Contains(page, "wave</script>") || strings.Contains(page, "<b>") {
		t.Fatal("trace name reached the page unescaped")
	}

	m := regexp.MustCompile(`(?s)<script type="application/json" id="report-data">(.*?)</script>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no report-data block")
	}
	var back simulate.Report
	if err := json.Unmarshal([]byte(m[1]), &back); err != nil {
		t.Fatalf("report-data is not JSON: %v", err)
	}
	want, _ := json.Marshal(r)
	got, _ := json.Marshal(back)
	if !bytes.Equal(want, got) {
		t.Fatal("report-data differs from the report's JSON")
	}
	if back.Trace != "wave</script><b>" || len(back.Series) != 576 {
		t.Fatalf("trace %q with %d steps, want the hostile name and 576 steps", back.Trace, len(back.Series))
	}
}
