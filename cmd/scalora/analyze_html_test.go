package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAnalyzeWritesHTMLReportToOut(t *testing.T) {
	out := filepath.Join(t.TempDir(), "report.html")
	printed := runAnalyzeCmd(t, analyzeTrace(t), "--format", "html", "--out", out)
	if printed != "" {
		t.Fatalf("printed %q with --out; want nothing (no progress off a terminal either)", printed)
	}

	page, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<!DOCTYPE html>", `id="report-data"`, `"simulation":`} {
		if !bytes.Contains(page, []byte(want)) {
			t.Fatalf("report lacks %q", want)
		}
	}
}

// A failed analysis must not leave a partial or empty file where the
// report was expected.
func TestAnalyzeOutLeavesNoFileOnError(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "report.html")
	cmd := newAnalyzeCmd()
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	cmd.SetArgs([]string{filepath.Join(dir, "missing.csv"), "--format", "html", "--out", out})
	if err := cmd.Execute(); err == nil {
		t.Fatal("analyze of a missing file succeeded")
	}

	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Fatalf("left %d files behind, e.g. %s", len(entries), entries[0].Name())
	}
}

func TestProgressOffTerminalKeepsLinesDropsBars(t *testing.T) {
	var b bytes.Buffer
	w := progressWriter(&b) // a buffer is not a terminal
	w.Write([]byte("\repoch 1/3  40% |████      | (4/10)"))
	w.Write([]byte("epoch 1: train loss 0.0123\n"))
	w.Write([]byte("\r                    \r"))

	if got := b.String(); got != "epoch 1: train loss 0.0123\n" {
		t.Fatalf("wrote %q, want only the epoch line", got)
	}

	stop := spinner(&b, "analyzing")
	stop()
	if strings.Count(b.String(), "\n") != 1 || strings.Contains(b.String(), "analyzing") {
		t.Fatalf("spinner wrote %q off a terminal", b.String())
	}
}
