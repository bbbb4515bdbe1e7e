package dashboards

import (
	"encoding/json"
	"fmt"

	"github.com/grafana/grafana-foundation-sdk/go/barchart"
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/variants"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/stat"
	"github.com/grafana/grafana-foundation-sdk/go/table"
	"github.com/grafana/grafana-foundation-sdk/go/text"
	"github.com/grafana/grafana-foundation-sdk/go/timeseries"
)

// hostVariableSQL lists the hosts for the $host variable.
const hostVariableSQL = "SELECT DISTINCT host FROM scalora.steps ORDER BY host"

// Build turns b into a Grafana dashboard model.
func Build(b Board) (dashboard.Dashboard, error) {
	d := dashboard.NewDashboardBuilder(b.Title).
		Uid(b.UID).
		Description(b.Description).
		Tags([]string{"scalora"}).
		Timezone("utc").
		Editable().
		Tooltip(dashboard.DashboardCursorSyncCrosshair).
		Time("now-24h", "now").
		Refresh("30s")

	if b.HostVariable {
		q := hostVariableSQL
		d = d.WithVariable(dashboard.NewQueryVariableBuilder("host").
			Label("Host").
			Datasource(datasource()).
			Query(dashboard.StringOrMap{String: &q}).
			Refresh(dashboard.VariableRefreshOnDashboardLoad).
			Sort(dashboard.VariableSortAlphabeticalAsc))
	}

	for _, a := range b.Annotations {
		d = d.Annotation(dashboard.NewAnnotationQueryBuilder().
			Name(a.Name).
			Datasource(datasource()).
			Enable(true).
			IconColor(a.Color).
			Target(newQuery(Target{RefID: "Anno", Format: FormatTable, SQL: a.SQL})))
	}

	for _, p := range b.Panels {
		pb, err := panel(p)
		if err != nil {
			return dashboard.Dashboard{}, fmt.Errorf("dashboard %s: panel %q: %w", b.UID, p.Title, err)
		}
		d = d.WithPanel(pb)
	}

	out, err := d.Build()
	if err != nil {
		return out, fmt.Errorf("dashboard %s: %w", b.UID, err)
	}
	return out, nil
}

func targets(p Panel) []cog.Builder[variants.Dataquery] {
	out := make([]cog.Builder[variants.Dataquery], len(p.Targets))
	for i, t := range p.Targets {
		out[i] = newQuery(t)
	}
	return out
}

// panel builds one panel of its kind; every kind shares title, size,
// data source and targets.
func panel(p Panel) (cog.Builder[dashboard.Panel], error) {
	switch p.Kind {
	case TimeSeries:
		return timeseries.NewPanelBuilder().Title(p.Title).Description(p.Description).
			Span(p.Width).Height(p.Height).Datasource(datasource()).Targets(targets(p)).
			Unit(p.Unit).LineWidth(1).FillOpacity(10), nil
	case Table:
		return table.NewPanelBuilder().Title(p.Title).Description(p.Description).
			Span(p.Width).Height(p.Height).Datasource(datasource()).Targets(targets(p)), nil
	case BarChart:
		return barchart.NewPanelBuilder().Title(p.Title).Description(p.Description).
			Span(p.Width).Height(p.Height).Datasource(datasource()).Targets(targets(p)).
			Unit(p.Unit).XField(p.Targets[0].Columns[0]), nil
	case Stat:
		return stat.NewPanelBuilder().Title(p.Title).Description(p.Description).
			Span(p.Width).Height(p.Height).Datasource(datasource()).Targets(targets(p)).
			Unit(p.Unit), nil
	case Text:
		return text.NewPanelBuilder().Title(p.Title).Description(p.Description).
			Span(p.Width).Height(p.Height).Mode(text.TextModeMarkdown).Content(p.Markdown), nil
	}
	return nil, fmt.Errorf("unknown panel kind %q", p.Kind)
}

// Render returns every board's JSON by file name, indented and ending in
// a newline, exactly as committed in dashboards/.
func Render() (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, b := range Boards() {
		d, err := Build(b)
		if err != nil {
			return nil, err
		}
		raw, err := json.MarshalIndent(d, "", "  ")
		if err != nil {
			return nil, fmt.Errorf("encode dashboard %s: %w", b.UID, err)
		}
		out[b.File] = append(raw, '\n')
	}
	return out, nil
}
