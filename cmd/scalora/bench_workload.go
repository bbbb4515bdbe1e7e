package main

import (
	"bufio"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/scalora/scalora/schemas/trace"
)

// benchSeries returns one CPU series per host, each at least steps long.
// From dir (a folder of traces in any format scalora reads, e.g. one day of
// PlanetLab VMs) the files are dealt to the hosts in name order, each host
// after the first pass starting further into its file; without dir the
// series are synthetic, shaped like PlanetLab VMs: a low, noisy level with
// a daily swing and occasional bursts. The second result names the source.
func benchSeries(dir string, hosts, steps int, seed uint64) ([][]float64, string, error) {
	if dir == "" {
		return syntheticSeries(hosts, steps, seed), "synthetic (PlanetLab-like)", nil
	}

	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, "", fmt.Errorf("bench data: %w", err)
	}
	var files [][]float64
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if !e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, name := range names {
		vals, err := readBenchTrace(filepath.Join(dir, name))
		if err != nil || len(vals) == 0 {
			continue // not a trace: the folder may hold a README or a licence
		}
		files = append(files, vals)
	}
	if len(files) == 0 {
		return nil, "", fmt.Errorf("bench data: no trace in %s", dir)
	}

	out := make([][]float64, hosts)
	for h := range out {
		f := files[h%len(files)]
		off := (h / len(files)) * 37
		out[h] = make([]float64, steps)
		for i := range out[h] {
			out[h][i] = f[(off+i)%len(f)]
		}
	}
	return out, fmt.Sprintf("%d traces from %s", len(files), dir), nil
}

// readBenchTrace reads a trace in any format scalora reads, or a PlanetLab
// CoMon file: one CPU percent a line, no header and no timestamps.
func readBenchTrace(path string) ([]float64, error) {
	if s, err := trace.ReadAny(path); err == nil {
		vals := make([]float64, len(s.Points))
		for i, p := range s.Points {
			vals[i] = p.CPU
		}
		return vals, nil
	}

	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var vals []float64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		v, err := strconv.ParseFloat(strings.TrimSpace(sc.Text()), 64)
		if err != nil || v < 0 || v > 200 {
			return nil, fmt.Errorf("%s: not a trace", path)
		}
		vals = append(vals, v)
	}
	return vals, sc.Err()
}

// syntheticSeries draws PlanetLab-like series: level 5-40 %, a daily swing
// of up to half the level (288 steps a day), noise, and bursts to 60-100 %.
func syntheticSeries(hosts, steps int, seed uint64) [][]float64 {
	r := rand.New(rand.NewPCG(seed, 17))
	out := make([][]float64, hosts)
	for h := range out {
		level := 5 + 35*r.Float64()
		swing := level * 0.5 * r.Float64()
		phase := 2 * math.Pi * r.Float64()
		out[h] = make([]float64, steps)
		for i := range out[h] {
			v := level + swing*math.Sin(2*math.Pi*float64(i)/288+phase) + r.NormFloat64()*level*0.15
			if r.IntN(200) == 0 {
				v = 60 + 40*r.Float64()
			}
			out[h][i] = min(max(v, 0), 100)
		}
	}
	return out
}
