package api

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scalora/scalora/stages/decision"
)

func groupAnswer(t *testing.T, f *fixture, method, group, body string, status int) GroupConfigResponse {
	t.Helper()
	rec := f.do(t, method, "/v1/groups/"+group+"/config", strings.NewReader(body))
	if rec.Code != status {
		t.Fatalf("%s %s: %d %s", method, group, rec.Code, rec.Body)
	}
	var g GroupConfigResponse
	if status == http.StatusOK {
		checkSchema(t, rec.Body.Bytes(), "GroupConfigResponse")
		if err := json.Unmarshal(rec.Body.Bytes(), &g); err != nil {
			t.Fatal(err)
		}
	} else {
		problem(t, rec, status)
	}
	return g
}

func TestGroupConfigComesFromTheProcessThenTheAPI(t *testing.T) {
	f := newFixture(t, nil)

	if g := groupAnswer(t, f, "GET", "web", "", 200); g.Source != "config" || g.Provider != "gcp" || g.Instances != 4 || g.InstanceType != "e2-standard-2" {
		t.Errorf("configured group: %+v", g)
	}
	if g := groupAnswer(t, f, "GET", "other", "", 200); g.Source != "default" || g.Name != "other" || g.Instances != decision.DefaultInstances {
		t.Errorf("default group: %+v", g)
	}

	g := groupAnswer(t, f, "PUT", "web", `{"instances":8,"max_instances":20,"mode":"preview"}`, 200)
	if g.Source != "api" || g.Instances != 8 || g.Provider != "aws" || g.Mode != "preview" {
		t.Errorf("put: %+v", g)
	}
	if g := groupAnswer(t, f, "GET", "web", "", 200); g.Source != "api" || g.Instances != 8 {
		t.Errorf("after put: %+v", g)
	}

	cfg, err := LoadGroups(filepath.Join(f.dir, "groups"), decision.Config{})
	if err != nil || cfg.Groups["web"].Instances != 8 {
		t.Errorf("LoadGroups: %+v, %v", cfg.Groups, err)
	}
}

func TestInvalidGroupConfigLeavesTheStoredOneAlone(t *testing.T) {
	f := newFixture(t, nil)
	groupAnswer(t, f, "PUT", "web", `{"instances":8}`, 200)
	file := filepath.Join(f.dir, "groups", "web.json")
	before, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}

	groupAnswer(t, f, "PUT", "web", `{"instances":8,"target_utilization":2}`, http.StatusUnprocessableEntity)
	groupAnswer(t, f, "PUT", "web", `{"instances":`, http.StatusBadRequest)
	groupAnswer(t, f, "PUT", "web", `{"instancez":3}`, http.StatusBadRequest)
	groupAnswer(t, f, "PUT", "web", `{"name":"api"}`, http.StatusBadRequest)
	groupAnswer(t, f, "PUT", "..", `{}`, http.StatusBadRequest)
	groupAnswer(t, f, "PUT", "web", `{"region":"`+strings.Repeat("x", 70000)+`"}`, http.StatusRequestEntityTooLarge)

	after, _ := os.ReadFile(file)
	if string(before) != string(after) {
		t.Error("a refused PUT changed the stored configuration")
	}
	entries, _ := os.ReadDir(filepath.Join(f.dir, "groups"))
	if len(entries) != 1 {
		t.Errorf("%d files in the groups folder, want only web.json", len(entries))
	}
}

// The forecast-miss reserve is set through the API like the rest of a
// group: the answer and the stored file carry it, and an impossible
// quantile is refused.
func TestGroupConfigCarriesTheHeadroomSettings(t *testing.T) {
	f := newFixture(t, nil)

	g := groupAnswer(t, f, "PUT", "web", `{"instances":8,"headroom_quantile":0.9,"headroom_window":86400000000000}`, 200)
	if g.HeadroomQuantile != 0.9 || g.HeadroomWindow != 24*time.Hour {
		t.Errorf("put: quantile %v, window %v", g.HeadroomQuantile, g.HeadroomWindow)
	}
	if g := groupAnswer(t, f, "GET", "other", "", 200); g.HeadroomQuantile != decision.DefaultHeadroomQuantile || g.HeadroomWindow != decision.DefaultHeadroomWindow {
		t.Errorf("default group: quantile %v, window %v", g.HeadroomQuantile, g.HeadroomWindow)
	}

	cfg, err := LoadGroups(filepath.Join(f.dir, "groups"), decision.Config{})
	if err != nil || cfg.Groups["web"].HeadroomQuantile != 0.9 {
		t.Errorf("LoadGroups: %+v, %v", cfg.Groups["web"], err)
	}

	groupAnswer(t, f, "PUT", "web", `{"instances":8,"headroom_quantile":1.5}`, http.StatusUnprocessableEntity)
}
