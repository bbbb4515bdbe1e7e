package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/go-chi/chi/v5"

	"github.com/scalora/scalora/stages/decision"
)

// groupName is what a group written by PUT may be called: its name is
// also its file name, so nothing that could leave the folder.
var groupName = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._-]{0,252}$`)

// maxGroupBody caps the body of PUT /v1/groups/{group}/config.
const maxGroupBody = 64 << 10

// GroupConfigResponse answers GET and PUT /v1/groups/{group}/config.
type GroupConfigResponse struct {
	decision.GroupConfig
	// Source is where the configuration comes from: "api" (written by a
	// PUT), "config" (the process's configuration) or "default".
	Source string `json:"source"`
}

// groupFiles keeps the group configurations written through the API, one
// JSON file per group in dir, over the process's own configuration. The
// process reads them at start (LoadGroups); the handler applies a new one
// live through Deps.ApplyGroup.
type groupFiles struct {
	mu   sync.Mutex // serialises writes
	dir  string
	base decision.Config
}

// get returns the group's effective configuration and its source.
func (g *groupFiles) get(name string) (decision.GroupConfig, string, error) {
	if groupName.MatchString(name) {
		raw, err := os.ReadFile(filepath.Join(g.dir, name+".json"))
		switch {
		case err == nil:
			var c decision.GroupConfig
			if err := json.Unmarshal(raw, &c); err != nil {
				return c, "", fmt.Errorf("read group %s: %w", name, err)
			}
			return c, "api", nil
		case !errors.Is(err, fs.ErrNotExist):
			return decision.GroupConfig{}, "", fmt.Errorf("read group %s: %w", name, err)
		}
	}

	if c, ok := g.base.Groups[name]; ok {
		c.Name = name
		c.SetDefaults()
		return c, "config", nil
	}
	c := g.base.Default
	c.Name = name
	c.SetDefaults()
	return c, "default", nil
}

// put validates c and writes it atomically (a temporary file renamed over
// the old one), so a crash leaves either the old or the new file.
func (g *groupFiles) put(name string, c decision.GroupConfig) (decision.GroupConfig, error) {
	c.Name = name
	c.SetDefaults()
	if err := c.Validate(); err != nil {
		return c, err
	}
	raw, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return c, fmt.Errorf("encode group: %w", err)
	}

	g.mu.Lock()
	defer g.mu.Unlock()
	if err := os.MkdirAll(g.dir, 0o755); err != nil {
		return c, fmt.Errorf("groups dir: %w", err)
	}
	tmp, err := os.CreateTemp(g.dir, "."+name+"-*.tmp")
	if err != nil {
		return c, fmt.Errorf("write group: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename

	if _, err := tmp.Write(raw); err != nil {
		tmp.Close()
		return c, fmt.Errorf("write group: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return c, fmt.Errorf("write group: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return c, fmt.Errorf("write group: %w", err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(g.dir, name+".json")); err != nil {
		return c, fmt.Errorf("write group: %w", err)
	}
	return c, nil
}

// LoadGroups returns base with the groups written by the API in dir laid
// over base.Groups, for the process to start with them. A missing dir is
// no error.
func LoadGroups(dir string, base decision.Config) (decision.Config, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return base, nil
	} else if err != nil {
		return base, fmt.Errorf("groups dir: %w", err)
	}

	groups := make(map[string]decision.GroupConfig, len(base.Groups)+len(entries))
	for k, v := range base.Groups {
		groups[k] = v
	}
	g := &groupFiles{dir: dir}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || !groupName.MatchString(name) {
			continue
		}
		c, _, err := g.get(name)
		if err != nil {
			return base, err
		}
		groups[name] = c
	}
	base.Groups = groups
	return base, nil
}

func (s *Server) getGroupConfig(w http.ResponseWriter, r *http.Request) {
	c, src, err := s.groups.get(chi.URLParam(r, "group"))
	if err != nil {
		s.log.Error("read group config failed", "err", err)
		writeProblem(w, r, http.StatusInternalServerError, "internal", "the stored group configuration could not be read")
		return
	}
	writeJSON(w, http.StatusOK, GroupConfigResponse{GroupConfig: c, Source: src})
}

// putGroupConfig validates and persists a group's configuration. Zero
// fields take their defaults; "name", when given, must be the path's.
func (s *Server) putGroupConfig(w http.ResponseWriter, r *http.Request) {
	name := chi.URLParam(r, "group")
	if !groupName.MatchString(name) {
		writeProblem(w, r, http.StatusBadRequest, "invalid-group",
			"group names set through the API must match "+groupName.String())
		return
	}

	var c decision.GroupConfig
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxGroupBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		if tooLarge(err) {
			writeProblem(w, r, http.StatusRequestEntityTooLarge, "too-large", "a group configuration is at most 64 KiB")
			return
		}
		writeProblem(w, r, http.StatusBadRequest, "malformed", "decode group configuration: "+err.Error())
		return
	}
	if c.Name != "" && c.Name != name {
		writeProblem(w, r, http.StatusBadRequest, "invalid-group",
			fmt.Sprintf("name %s differs from the path's group %s", quote(c.Name), quote(name)))
		return
	}

	// Refuse a group the price catalog cannot price before storing it, so
	// that a stored configuration always applies.
	if err := s.priceable(name, c); err != nil {
		writeProblem(w, r, http.StatusUnprocessableEntity, "invalid-config", err.Error())
		return
	}

	c, err := s.groups.put(name, c)
	if errors.Is(err, decision.ErrInvalidConfig) {
		writeProblem(w, r, http.StatusUnprocessableEntity, "invalid-config", err.Error())
		return
	} else if err != nil {
		s.log.Error("write group config failed", "err", err)
		writeProblem(w, r, http.StatusInternalServerError, "internal", "the group configuration could not be stored")
		return
	}
	s.log.Info("group config written", "group", name)

	if s.deps.ApplyGroup != nil {
		if err := s.deps.ApplyGroup(c); err != nil {
			s.log.Error("stored group config not applied live", "group", name, "err", err)
			writeProblem(w, r, http.StatusInternalServerError, "not-applied",
				"the configuration was stored and applies at the next start, but could not be applied now: "+err.Error())
			return
		}
	}
	writeJSON(w, http.StatusOK, GroupConfigResponse{GroupConfig: c, Source: "api"})
}

// priceable checks that c, under name, can be priced: its cost_per_hour or
// the catalog's price of its provider, region and instance type.
func (s *Server) priceable(name string, c decision.GroupConfig) error {
	c.Name = name
	c.SetDefaults()
	if c.CostPerHour > 0 || s.deps.Catalog == nil {
		return nil
	}
	if _, err := s.deps.Catalog.Price(c.Provider, c.Region, c.InstanceType); err != nil {
		return fmt.Errorf("group %s: %w", name, err)
	}
	return nil
}
