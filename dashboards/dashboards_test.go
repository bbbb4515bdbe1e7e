package dashboards

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCommittedJSONMatchesGenerator fails when the committed dashboards
// drift from the Go definitions: run "go generate ./dashboards".
func TestCommittedJSONMatchesGenerator(t *testing.T) {
	files, err := Render()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 4 {
		t.Fatalf("%d dashboards, want 4", len(files))
	}
	for name, want := range files {
		got, err := os.ReadFile(name)
		if err != nil {
			t.Errorf("%s: %v (run go generate ./dashboards)", name, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the generator's output: run go generate ./dashboards and commit the result", name)
		}
	}

	// No JSON file in the folder that the generator does not write.
	matches, _ := filepath.Glob("*.json")
	for _, m := range matches {
		if _, ok := files[m]; !ok {
			t.Errorf("%s is not generated: remove it or add it to Boards", m)
		}
	}
}

func TestEveryPanelHasQueriesWithColumnsAndAUniqueTitle(t *testing.T) {
	uids := map[string]bool{}
	for _, b := range Boards() {
		if uids[b.UID] {
			t.Errorf("uid %s used twice", b.UID)
		}
		uids[b.UID] = true

		titles := map[string]bool{}
		for _, p := range b.Panels {
			if titles[p.Title] {
				t.Errorf("%s: title %q used twice", b.UID, p.Title)
			}
			titles[p.Title] = true
			if p.Kind == Text {
				continue
			}
			if len(p.Targets) == 0 {
				t.Errorf("%s / %s: no query", b.UID, p.Title)
			}
			for _, tg := range p.Targets {
				if len(tg.Columns) == 0 || !strings.Contains(tg.SQL, "scalora.") {
					t.Errorf("%s / %s / %s: no expected columns or no scalora table", b.UID, p.Title, tg.RefID)
				}
				if tg.Format == FormatTimeSeries && tg.Columns[0] != "time" {
					t.Errorf("%s / %s: a time series query must return time first", b.UID, p.Title)
				}
			}
		}
	}
}

func TestExpandReplacesMacrosAsThePluginDoes(t *testing.T) {
	r := Range{
		From:     time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC),
		To:       time.Date(2026, 5, 2, 0, 0, 0, 0, time.UTC),
		Interval: 5 * time.Minute,
		Vars:     map[string]string{"host": "web-1"},
	}
	got, err := Expand("SELECT $__timeInterval(ts) AS time, count() / $__interval_s FROM t "+
		"WHERE host = '${host}' AND $__timeFilter(ts) AND x < $__toTime AND y > $__fromTime_ms", r)
	if err != nil {
		t.Fatal(err)
	}
	want := "SELECT toStartOfInterval(toDateTime(ts), INTERVAL 300 second) AS time, count() / 300 FROM t " +
		"WHERE host = 'web-1' AND ts >= toDateTime(1777593600) AND ts <= toDateTime(1777680000) " +
		"AND x < toDateTime(1777680000) AND y > fromUnixTimestamp64Milli(1777593600000)"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}

	for _, bad := range []string{"$__unixEpochFilter(ts)", "$__timeFilter", "'$group'"} {
		if _, err := Expand(bad, r); err == nil {
			t.Errorf("%s expanded without error", bad)
		}
	}
}
