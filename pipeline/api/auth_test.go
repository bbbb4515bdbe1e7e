package api

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRequestsWithoutAValidKeyGet401(t *testing.T) {
	f := newFixture(t, nil)
	for _, auth := range []string{"", "Bearer", "Bearer wrong", "Basic " + testKey, "Bearer " + testKey + "x"} {
		req := httptest.NewRequest("GET", "/v1/pricing", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		rec := httptest.NewRecorder()
		f.srv.Handler().ServeHTTP(rec, req)
		p := problem(t, rec, http.StatusUnauthorized)
		if strings.Contains(rec.Body.String(), testKey) {
			t.Errorf("the answer echoes the key: %s", rec.Body)
		}
		if p.Instance != "/v1/pricing" || rec.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("auth %q: problem %+v, headers %v", auth, p, rec.Header())
		}
	}

	if rec := f.do(t, "GET", "/v1/pricing", nil); rec.Code != http.StatusOK {
		t.Errorf("with the key: %d %s", rec.Code, rec.Body)
	}
}

func TestEveryV1RouteNeedsAKey(t *testing.T) {
	f := newFixture(t, nil)
	for _, rt := range routes(t, f.srv) {
		if !strings.HasPrefix(rt.path, "/v1/") {
			continue
		}
		path := strings.NewReplacer("{host}", "h", "{group}", "g").Replace(rt.path)
		rec := httptest.NewRecorder()
		f.srv.Handler().ServeHTTP(rec, httptest.NewRequest(rt.method, path, strings.NewReader("[]")))
		if rec.Code != http.StatusUnauthorized {
			t.Errorf("%s %s without a key: %d", rt.method, path, rec.Code)
		}
	}
}

func TestKeysComeFromTheEnvironment(t *testing.T) {
	t.Setenv(EnvKeys, " k1 ,k2,")
	var c Config
	c.SetDefaults()
	if len(c.Keys) != 2 || c.Keys[0] != "k1" || c.Keys[1] != "k2" {
		t.Errorf("keys %q", c.Keys)
	}
	a := newAuthenticator(c.Keys)
	if !a.valid("k2") || a.valid("k3") || a.valid("") {
		t.Error("constant-time check accepts the wrong keys")
	}
}

func TestNoKeysIsAllowedOnLocalhostOnly(t *testing.T) {
	t.Setenv(EnvKeys, "")
	for addr, open := range map[string]bool{
		"127.0.0.1:8080": true, "localhost:8080": true, "[::1]:8080": true,
		":8080": false, "0.0.0.0:8080": false, "10.0.0.5:8080": false,
	} {
		c := Config{Addr: addr}
		c.SetDefaults()
		err := c.Validate()
		if open && err != nil || !open && !errors.Is(err, ErrOpenNonLocal) {
			t.Errorf("addr %s: %v", addr, err)
		}
	}

	// An open API on localhost serves without a key.
	f := newFixture(t, func(c *Config, _ *Deps) { c.Keys, c.Addr = nil, "127.0.0.1:0" })
	rec := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/v1/pricing", nil))
	if rec.Code != http.StatusOK {
		t.Errorf("open API on localhost: %d", rec.Code)
	}
}
