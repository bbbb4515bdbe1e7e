package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"

	"github.com/scalora/scalora/stages/simulate"
)

var (
	//go:embed uplot/uPlot.iife.min.js
	uplotJS string
	//go:embed uplot/uPlot.min.css
	uplotCSS string
	//go:embed page.js
	pageJS string
	//go:embed page.css
	pageCSS string
	//go:embed page.html
	pageHTML string
)

// Charts is the number of charts the page draws; the page writes it into
// data-rendered once they are drawn.
const Charts = 3

var page = template.Must(template.New("report").Parse(pageHTML))

// pageData is what page.html sees. The scripts and styles are our own
// embedded files, hence trusted; the report is escaped by html/template as
// JSON inside the script block.
type pageData struct {
	Title    string
	Report   simulate.Report
	UplotJS  template.JS
	UplotCSS template.CSS
	PageJS   template.JS
	PageCSS  template.CSS
	Charts   int
}

// RenderHTML writes r as one self-contained HTML page to w. It is safe for
// concurrent use. On error part of the page may have been written: render
// into a buffer first when w must not see a partial page.
func RenderHTML(w io.Writer, r simulate.Report) error {
	d := pageData{
		Title:    fmt.Sprintf("Scalora analysis of %s", r.Trace),
		Report:   r,
		UplotJS:  template.JS(uplotJS),
		UplotCSS: template.CSS(uplotCSS),
		PageJS:   template.JS(pageJS),
		PageCSS:  template.CSS(pageCSS),
		Charts:   Charts,
	}
	if err := page.Execute(w, d); err != nil {
		return fmt.Errorf("render html report: %w", err)
	}
	return nil
}
