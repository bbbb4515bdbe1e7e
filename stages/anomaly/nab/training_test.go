package nab

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/schemas/trace"
	"github.com/scalora/scalora/schemas/trace/tracetest"
	"github.com/scalora/scalora/stages/anomaly"
	"github.com/scalora/scalora/stages/forecast"
	"github.com/scalora/scalora/stages/window"
)

// The training set of the detector's NAB-facing parameters (threshold,
// cooldown): real CPU traces that are not NAB's (Bitbrains Rnd VMs), cut to
// NAB's length (4,032 steps of 5 minutes, 14 days), with faults injected
// after probation and labelled with NAB-style windows (10 % of the file
// over the number of faults, centred on each fault's start). Nothing here
// reads the NAB files.

const trainRows = 4032

// readBitbrains reads the CPU usage [%] column of a Bitbrains Rnd file,
// whose timestamps are seconds (the header's [ms] is wrong), keeping the
// first of duplicated timestamps.
func readBitbrains(t testing.TB, path string) *trace.Series {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	s := &trace.Series{Name: strings.TrimSuffix(filepath.Base(filepath.Dir(path))+"_"+filepath.Base(path), ".csv")}
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		fields := strings.Split(sc.Text(), ";")
		if len(fields) < 5 {
			continue
		}
		sec, err1 := strconv.ParseInt(strings.TrimSpace(fields[0]), 10, 64)
		cpu, err2 := strconv.ParseFloat(strings.TrimSpace(fields[4]), 64)
		if err1 != nil || err2 != nil {
			continue
		}
		tm := time.Unix(sec, 0).UTC()
		if n := len(s.Points); n > 0 && !tm.After(s.Points[n-1].Time) {
			continue
		}
		s.Points = append(s.Points, trace.Point{Time: tm, CPU: cpu})
	}
	return s
}

// injected is a training file: a series with faults, and its windows.
type injected struct {
	s       *trace.Series
	windows []Window
	kinds   []string
}

// inject adds k faults to a copy of s (its first trainRows points) after
// probation, at least a window apart, and labels them as NAB would.
func inject(s *trace.Series, k int, seed uint64) injected {
	rng := rand.New(rand.NewPCG(seed, 77))
	pts := slices.Clone(s.Points[:trainRows])
	vals := make([]float64, len(pts))
	for i, p := range pts {
		vals[i] = p.CPU
	}
	sorted := slices.Clone(vals)
	slices.Sort(sorted)
	p95 := sorted[len(sorted)*95/100]
	med := sorted[len(sorted)/2]

	width := trainRows / 10 / k
	out := injected{s: &trace.Series{Name: s.Name, Format: s.Format}}
	prob := ProbationLength(trainRows)
	seg := (trainRows - prob - width) / k
	for j := range k {
		at := prob + width/2 + j*seg + rng.IntN(seg-width)
		var kind string
		switch rng.IntN(4) {
		case 0: // a burst well above the host's usual highs
			kind = "spike"
			top := min(100, max(p95+20, 1.5*p95)+10*rng.Float64())
			for i := at; i < at+1+rng.IntN(6); i++ {
				vals[i] = top * (0.9 + 0.1*rng.Float64())
			}
		case 1: // a level shift up that lasts a day or two
			kind = "level_shift"
			add := max(15, med) * (1 + rng.Float64())
			for i := at; i < min(len(vals), at+288+rng.IntN(288)); i++ {
				vals[i] = min(100, vals[i]+add)
			}
		case 2: // the host goes almost idle for 1-6 hours
			kind = "drop"
			for i := at; i < at+12+rng.IntN(60); i++ {
				vals[i] = 0.2 * rng.Float64()
			}
		default: // the metric freezes for 4-12 hours
			kind = "flatline"
			v := vals[at-1]
			for i := at; i < at+48+rng.IntN(96); i++ {
				vals[i] = v
			}
		}
		lo, hi := max(0, at-width/2), min(trainRows-1, at+width/2-1)
		out.windows = append(out.windows, Window{Start: pts[lo].Time, End: pts[hi].Time})
		out.kinds = append(out.kinds, kind)
	}
	for i := range pts {
		pts[i].CPU = vals[i]
	}
	out.s.Points = pts
	return out
}

// trainingFiles are the Bitbrains VMs of the three months, each cut to
// NAB's length, with two faults each (seeded).
func trainingFiles(t testing.TB) []injected {
	dir := filepath.Join(tracetest.SharedData(t), "bitbrains_rnd")
	var out []injected
	for m, month := range []string{"2013-7", "2013-8", "2013-9"} {
		for v, vm := range []string{"185", "234", "237", "312", "386", "392"} {
			s := readBitbrains(t, filepath.Join(dir, month, vm+".csv"))
			if len(s.Points) < trainRows {
				continue
			}
			out = append(out, inject(s, 2, uint64(100*m+v)))
		}
	}
	return out
}

// replay is a forecast stage that returns forecasts computed once, so that
// a sweep over detector parameters does not rerun the LSTM.
type replay map[int64]schemas.Forecast

func (r replay) Forecast(c window.Closed) schemas.Forecast { return r[c.Step.Time.UnixNano()] }

// forecastsOf runs the real forecast stage (the default model) over s once.
func forecastsOf(t testing.TB, s *trace.Series) replay {
	m, err := forecast.DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	st, err := forecast.NewStage(forecast.Config{Step: 5 * time.Minute}, m)
	if err != nil {
		t.Fatal(err)
	}
	w, err := window.New(window.Config{Step: 5 * time.Minute, Size: window.DefaultSize})
	if err != nil {
		t.Fatal(err)
	}
	out := replay{}
	var closed []window.Closed
	for _, p := range s.Points {
		closed, err = w.Add(schemas.Sample{Version: 1, Host: s.Name, Time: p.Time, CPU: p.CPU}, closed[:0])
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range closed {
			out[c.Step.Time.UnixNano()] = st.Forecast(c)
		}
	}
	return out
}

// trainScore runs the detector over the training files and returns NAB's
// standard, low-FP and low-FN normalised scores and the counts.
func trainScore(t testing.TB, files []injected, fcs []replay, acfg anomaly.Config) ([3]float64, Overall) {
	detected := make([][]int, len(files))
	for i, f := range files {
		cfg := EvalConfig{Anomaly: acfg}
		if fcs != nil {
			fc := fcs[i]
			cfg.NewForecaster = func() (Forecaster, error) { return fc, nil }
		}
		cfg.SetDefaults()
		rows, err := Detect(f.s, cfg)
		if err != nil {
			t.Fatal(err)
		}
		detected[i] = rows
	}
	return scoreDetections(files, detected)
}

// trainScoreShared is trainScore with every training file a host of one
// shared detector (EvalConfig.Shared): with anomaly.ScopeGroup, the hosts
// share one history and forest.
func trainScoreShared(t testing.TB, files []injected, fcs []replay, acfg anomaly.Config) ([3]float64, Overall) {
	cfg := EvalConfig{Anomaly: acfg}
	cfg.SetDefaults()
	ss := make([]*trace.Series, len(files))
	fc := make([]Forecaster, len(files))
	for i, f := range files {
		ss[i] = f.s
		if fcs != nil {
			fc[i] = fcs[i]
		}
	}
	detected, err := detectMany(ss, fc, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return scoreDetections(files, detected)
}

// trainingForecasts replays the forecast stage over each training file.
func trainingForecasts(t testing.TB, files []injected) []replay {
	fcs := make([]replay, 0, len(files))
	for _, f := range files {
		fcs = append(fcs, forecastsOf(t, f.s))
	}
	return fcs
}

// scoreDetections scores each file's detected rows with NAB's rules and
// returns the three profiles' normalised scores over all files, and the
// standard profile's counts.
func scoreDetections(files []injected, detected [][]int) ([3]float64, Overall) {
	var raw, null, perfect [3]float64
	var o Overall
	for i, f := range files {
		times, flagged := rowTimes(f.s), make([]bool, len(f.s.Points))
		for _, r := range detected[i] {
			flagged[r] = true
		}
		for j, p := range Profiles() {
			r := Score(times, flagged, f.windows, p)
			raw[j] += r.Raw
			null[j] += r.Null
			perfect[j] += r.Perfect
			if j == 0 {
				o.TP += r.TP
				o.FN += r.FN
				o.FP += r.FP
			}
		}
	}
	var out [3]float64
	for j := range out {
		out[j] = Normalised(raw[j], null[j], perfect[j])
	}
	return out, o
}

// sweepSeeds is how many forest seeds each setting of a sweep is averaged
// over: one seed alone moves the training score by about ±3 points.
const sweepSeeds = 4

// meanOverSeeds is trainScore (or trainScoreShared when shared) averaged
// over sweepSeeds forest seeds, with the counts averaged too.
func meanOverSeeds(t testing.TB, files []injected, fcs []replay, acfg anomaly.Config, shared bool) (s [3]float64, tp, fn, fp float64) {
	for seed := range uint64(sweepSeeds) {
		cfg := acfg
		cfg.Forest.Seed = seed
		score := trainScore
		if shared {
			score = trainScoreShared
		}
		one, o := score(t, files, fcs, cfg)
		for j := range s {
			s[j] += one[j] / sweepSeeds
		}
		tp += float64(o.TP) / sweepSeeds
		fn += float64(o.FN) / sweepSeeds
		fp += float64(o.FP) / sweepSeeds
	}
	return s, tp, fn, fp
}

// TestChooseParametersOnTraining is the sweep the default threshold and
// cooldown were chosen from, each trace its own host, with the forecast
// stage's residuals, and the check that the forest's shape defaults
// (RefitEvery, HistorySize, SampleSize) hold there. It takes two or three
// minutes, so it runs only with SCALORA_ANOMALY_SWEEP=1.
func TestChooseParametersOnTraining(t *testing.T) {
	if os.Getenv("SCALORA_ANOMALY_SWEEP") == "" {
		t.Skip("set SCALORA_ANOMALY_SWEEP=1 to run the parameter sweep on the training traces")
	}
	files := trainingFiles(t)
	fcs := trainingForecasts(t, files)
	t.Logf("%d training files, %d faults, scores averaged over %d seeds", len(files), 2*len(files), sweepSeeds)

	try := func(name string, cfg anomaly.Config) {
		s, tp, fn, fp := meanOverSeeds(t, files, fcs, cfg, false)
		t.Logf("%-28s standard %5.1f low_fp %5.1f low_fn %5.1f  tp %4.1f fn %4.1f fp %5.1f", name, s[0], s[1], s[2], tp, fn, fp)
	}
	for _, th := range []float64{0.60, 0.62, 0.64, 0.65, 0.66, 0.67, 0.69, 0.71} {
		try(fmt.Sprintf("threshold %.2f cooldown 72", th), anomaly.Config{Threshold: th, Cooldown: 72})
	}
	for _, cd := range []int{36, 108} {
		try(fmt.Sprintf("threshold 0.65 cooldown %d", cd), anomaly.Config{Threshold: 0.65, Cooldown: cd})
	}
	try("threshold 0.62 cooldown 288", anomaly.Config{Threshold: 0.62, Cooldown: 288})
	try("refit every 144", anomaly.Config{RefitEvery: 144})
	try("refit every 576", anomaly.Config{RefitEvery: 576})
	try("history 512", anomaly.Config{HistorySize: 512})
	try("history 2048", anomaly.Config{HistorySize: 2048})
	try("sample size 128", anomaly.Config{Forest: anomaly.ForestConfig{SampleSize: 128}})
}

// TestChooseHostBarOnTraining is the sweep the per-host bar (HostQuantile,
// HostMargin, with Threshold as its floor) was chosen from, on the same
// training traces, with forecast residuals and Cooldown 72, on one seed
// (it predates the seed averaging). It runs only with
// SCALORA_ANOMALY_SWEEP=1.
func TestChooseHostBarOnTraining(t *testing.T) {
	if os.Getenv("SCALORA_ANOMALY_SWEEP") == "" {
		t.Skip("set SCALORA_ANOMALY_SWEEP=1 to run the parameter sweep on the training traces")
	}
	files := trainingFiles(t)
	fcs := trainingForecasts(t, files)
	for _, floor := range sweepFloors() {
		for _, q := range sweepQuantiles() {
			for _, m := range sweepMargins() {
				cfg := anomaly.Config{Scope: anomaly.ScopeHost, Threshold: floor, HostQuantile: q, HostMargin: m, Cooldown: 72, Forest: anomaly.ForestConfig{Seed: 1}}
				s, o := trainScore(t, files, fcs, cfg)
				t.Logf("floor %.2f quantile %.3f margin %.2f: standard %6.1f low_fp %6.1f low_fn %6.1f  tp %d fn %d fp %d",
					floor, q, m, s[0], s[1], s[2], o.TP, o.FN, o.FP)
			}
		}
	}
}

// The grid of TestChooseHostBarOnTraining; SCALORA_ANOMALY_SWEEP=bar2 runs
// the second, narrower round (floors near the threshold-only optimum).
func sweepFloors() []float64 {
	if os.Getenv("SCALORA_ANOMALY_SWEEP") == "bar2" {
		return []float64{0.60, 0.62}
	}
	return []float64{0.55, 0.58}
}

func sweepQuantiles() []float64 {
	if os.Getenv("SCALORA_ANOMALY_SWEEP") == "bar2" {
		return []float64{0.99, 0.995}
	}
	return []float64{0.99, 0.995, 1}
}

func sweepMargins() []float64 {
	if os.Getenv("SCALORA_ANOMALY_SWEEP") == "bar2" {
		return []float64{0}
	}
	return []float64{0, 0.02}
}
