package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/scalora/scalora/pipeline/agent"
	"github.com/scalora/scalora/schemas"
)

// The agent command on this host's real /proc/stat, posting to a stand-in
// of POST /v1/samples.
func TestAgentPostsThisHostsCPU(t *testing.T) {
	var (
		mu   sync.Mutex
		got  []schemas.Sample
		auth string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var batch []schemas.Sample
		if err := json.NewDecoder(r.Body).Decode(&batch); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		got, auth = append(got, batch...), r.Header.Get("Authorization")
		mu.Unlock()
	}))
	defer srv.Close()
	t.Setenv("SCALORA_API_KEY", "secret")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := newAgentCmd()
	cmd.SetArgs([]string{"--endpoint", srv.URL, "--interval", "50ms", "--group", "g1", "--host", "me", "--log-level", "error"})
	cmd.SetOut(&bytes.Buffer{})
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()

	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("got %d samples in 10s, want 2", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	mu.Lock()
	defer mu.Unlock()
	for _, s := range got {
		if s.Host != "me" || s.Group != "g1" || s.CPU < 0 || s.CPU > 100 || s.Cores < 1 {
			t.Fatalf("sample %+v: want host me, group g1, cpu in [0, 100], at least one core", s)
		}
	}
	if auth != "Bearer secret" {
		t.Fatalf("Authorization = %q, want the key from SCALORA_API_KEY", auth)
	}
}

func TestAgentNeedsExactlyOneDestination(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"--endpoint", "http://x", "--kafka", "localhost:9092"},
	} {
		cmd := newAgentCmd()
		cmd.SetArgs(args)
		cmd.SetOut(&bytes.Buffer{})
		cmd.SetErr(&bytes.Buffer{})
		if err := cmd.Execute(); !errors.Is(err, agent.ErrNoDestination) {
			t.Fatalf("agent %v: err = %v, want ErrNoDestination", args, err)
		}
	}
}
