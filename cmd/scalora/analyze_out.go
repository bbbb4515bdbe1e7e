package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
)

// analyzeToOutput runs analyze with a spinner on a terminal and writes to
// --out when given.
func analyzeToOutput(cmd *cobra.Command, o analyzeOptions, path string) error {
	stop := spinner(cmd.ErrOrStderr(), "analyzing "+filepath.Base(path))
	defer stop()

	if o.out == "" {
		return runAnalyze(o, path, cmd.OutOrStdout())
	}
	return writeAtomic(o.out, func(w io.Writer) error { return runAnalyze(o, path, w) })
}

// writeAtomic writes to a temporary file next to name and renames it over
// name only when write succeeded, so a failed run never leaves a partial
// file behind.
func writeAtomic(name string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(name), ".scalora-*.tmp")
	if err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	defer os.Remove(f.Name()) // no-op after the rename

	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	if err := os.Rename(f.Name(), name); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	return nil
}
