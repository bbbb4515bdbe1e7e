// Package tracetest finds the real CPU traces that tests replay.
//
// The project's developers and CI keep them at ../shared/data beside the
// repository; a user's clone may not have them, so every test that needs
// them skips with a message saying so.
package tracetest

import (
	"os"
	"path/filepath"
	"testing"
)

// SharedData returns the ../shared/data folder beside the repository root
// (the folder holding go.mod above the working directory), or skips t.
func SharedData(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("no go.mod above the test directory: cannot locate ../shared/data")
		}
		dir = parent
	}

	data := filepath.Join(filepath.Dir(dir), "shared", "data")
	if _, err := os.Stat(data); err != nil {
		t.Skipf("real traces not found at ../shared/data beside the repository (%v): "+
			"this test needs the project's trace folder", err)
	}
	return data
}

// SharedFile returns the file rel inside SharedData, or skips t when the
// folder or the file is missing.
func SharedFile(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(SharedData(t), rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared trace %s not found: %v", rel, err)
	}
	return p
}
