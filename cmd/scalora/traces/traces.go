// Package traces bundles real CPU traces into the binary so that the demo and
// the default model's training run on a fresh machine with no data folder.
//
// The files are the CPU series of the Numenta Anomaly Benchmark (NAB,
// https://github.com/numenta/NAB), MIT licence, copyright Numenta; the licence
// is LICENSE.txt beside this file. They are CloudWatch CPUUtilization series
// of EC2 and RDS instances and of a misconfigured auto-scaling group, one
// reading every 5 minutes, in percent.
package traces

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/scalora/scalora/schemas/trace"
)

//go:embed *.csv LICENSE.txt
var files embed.FS

// Names lists the bundled traces, without the .csv suffix, sorted.
func Names() []string {
	entries, _ := fs.ReadDir(files, ".")
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".csv") {
			names = append(names, strings.TrimSuffix(e.Name(), ".csv"))
		}
	}
	sort.Strings(names)
	return names
}

// Load reads one bundled trace by name (see Names).
func Load(name string) (*trace.Series, error) {
	f, err := files.Open(name + ".csv")
	if err != nil {
		return nil, fmt.Errorf("bundled trace %q: %w (known: %s)", name, err, strings.Join(Names(), ", "))
	}
	defer f.Close()

	s, err := trace.ReadNAB(f)
	if err != nil {
		return nil, fmt.Errorf("bundled trace %q: %w", name, err)
	}
	s.Name = name
	return s, nil
}
