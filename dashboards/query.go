package dashboards

import (
	"errors"
	"reflect"

	"github.com/grafana/grafana-foundation-sdk/go/cog/variants"
	"github.com/grafana/grafana-foundation-sdk/go/common"
)

// PluginID is the ClickHouse data source plugin every query uses.
const PluginID = "grafana-clickhouse-datasource"

// DatasourceUID is the uid deploy/grafana provisions the data source
// under; the dashboards name it, so they work without a lookup.
const DatasourceUID = "scalora-clickhouse"

// Format is how the plugin shapes a query's result (the plugin's numeric
// format option).
type Format int

// Formats the dashboards use.
const (
	FormatTimeSeries Format = 0
	FormatTable      Format = 1
)

// queryType is the plugin's name for f.
func (f Format) queryType() string {
	if f == FormatTimeSeries {
		return "timeseries"
	}
	return "table"
}

// datasource is the reference every panel, query and variable carries.
func datasource() common.DataSourceRef {
	t, u := PluginID, DatasourceUID
	return common.DataSourceRef{Type: &t, Uid: &u}
}

// clickHouseQuery is one SQL query of the ClickHouse plugin, as the
// plugin stores it in a dashboard. The foundation SDK has no type for this
// plugin, so this one implements its Dataquery interface.
type clickHouseQuery struct {
	RefID      string               `json:"refId"`
	Datasource common.DataSourceRef `json:"datasource"`
	EditorType string               `json:"editorType"`
	QueryType  string               `json:"queryType"`
	Format     Format               `json:"format"`
	RawSQL     string               `json:"rawSql"`
}

var _ variants.Dataquery = clickHouseQuery{}

func (clickHouseQuery) ImplementsDataqueryVariant() {}

func (q clickHouseQuery) DataqueryType() string { return PluginID }

func (q clickHouseQuery) Equals(other variants.Dataquery) bool {
	return reflect.DeepEqual(q, other)
}

func (q clickHouseQuery) Validate() error {
	if q.RawSQL == "" {
		return errors.New("clickhouse query: empty rawSql")
	}
	return nil
}

// queryBuilder is a cog.Builder for clickHouseQuery.
type queryBuilder struct{ q clickHouseQuery }

func (b queryBuilder) Build() (variants.Dataquery, error) {
	if err := b.q.Validate(); err != nil {
		return nil, err
	}
	return b.q, nil
}

func newQuery(t Target) queryBuilder {
	return queryBuilder{clickHouseQuery{
		RefID:      t.RefID,
		Datasource: datasource(),
		EditorType: "sql",
		QueryType:  t.Format.queryType(),
		Format:     t.Format,
		RawSQL:     t.SQL,
	}}
}
