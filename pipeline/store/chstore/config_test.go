package chstore

import (
	"errors"
	"testing"

	"github.com/scalora/scalora/pipeline/store"
)

func TestConfigDefaultsAndValidate(t *testing.T) {
	var c Config
	c.SetDefaults()
	if err := c.Validate(); err != nil {
		t.Fatalf("defaults do not validate: %v", err)
	}
	if c.Addr[0] != "localhost:9000" || c.Database != "scalora" || c.DialTimeout == 0 {
		t.Errorf("defaults = %+v", c)
	}

	bad := []Config{{Addr: []string{""}}, {Database: "no-dash"}, {DialTimeout: -1}}
	for _, b := range bad {
		b.SetDefaults()
		if err := b.Validate(); err == nil {
			t.Errorf("%+v accepted", b)
		}
	}
}

// Calls after Close must fail with store.ErrClosed without reaching the
// network (Open does not dial, so this needs no server).
func TestCallsAfterCloseFail(t *testing.T) {
	s, err := Open(Config{Addr: []string{"127.0.0.1:1"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(t.Context(), &store.Batch{}); !errors.Is(err, store.ErrClosed) {
		t.Errorf("write after close: %v", err)
	}
	if _, err := s.Query(t.Context(), "SELECT 1"); !errors.Is(err, store.ErrClosed) {
		t.Errorf("query after close: %v", err)
	}
}
