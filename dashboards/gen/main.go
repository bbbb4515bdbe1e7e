// Command gen writes the Grafana dashboards of package dashboards as JSON
// files into the dashboards folder. Run it from the repository root with
// "go generate ./dashboards" (or "go run ./dashboards/gen -out dashboards");
// the dashboards tests fail when the committed files differ from its
// output.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/scalora/scalora/dashboards"
)

func main() {
	out := flag.String("out", ".", "folder to write the JSON files into")
	flag.Parse()

	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	files, err := dashboards.Render()
	if err != nil {
		return err
	}

	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)

	for _, name := range names {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		fmt.Println("wrote", path)
	}
	return nil
}
