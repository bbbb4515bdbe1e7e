package forecast

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func encodeModel(t testing.TB, m *Model) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rewrite decodes a model file, lets edit change it and re-encodes it; when
// resum is true the checksum is recomputed so only edit's change is wrong.
func rewrite(t *testing.T, data []byte, resum bool, edit func(file, content map[string]any)) []byte {
	t.Helper()
	var file, content map[string]any
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(file["model"])
	if err := json.Unmarshal(raw, &content); err != nil {
		t.Fatal(err)
	}
	edit(file, content)

	raw, err := json.Marshal(content)
	if err != nil {
		t.Fatal(err)
	}
	file["model"] = json.RawMessage(raw)
	if resum {
		sum := sha256.Sum256(raw)
		file["checksum"] = "sha256:" + hex.EncodeToString(sum[:])
	}
	out, err := json.Marshal(file)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestModelFileRoundTrip(t *testing.T) {
	m := randomModel(t, 8, 5, 4)
	m.Training.Series = []SeriesSummary{{Name: "a", Points: 100}}
	path := filepath.Join(t.TempDir(), "m.json")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}

	got, err := LoadModel(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name() != "lstm-h8-v1" || got.Horizon() != 5 || got.Training.Series[0].Name != "a" {
		t.Errorf("loaded %s horizon %d training %+v", got.Name(), got.Horizon(), got.Training)
	}

	// Float64 weights survive JSON exactly, so forecasts are identical.
	rng := rand.New(rand.NewPCG(3, 3))
	a, b := make([]float64, 5), make([]float64, 5)
	for range 5 {
		w := randomWindow(rng)
		m.Predict(w, a)
		got.Predict(w, b)
		for h := range a {
			if a[h] != b[h] {
				t.Fatalf("horizon %d: saved model %v, loaded %v", h+1, a[h], b[h])
			}
		}
	}

	// Save then load again gives the same bytes.
	if !bytes.Equal(encodeModel(t, m), encodeModel(t, got)) {
		t.Error("re-encoding a loaded model changed the file")
	}
}

func TestReadModelRejectsOtherFormatVersion(t *testing.T) {
	data := rewrite(t, encodeModel(t, randomModel(t, 4, 2, 1)), true, func(file, _ map[string]any) {
		file["format_version"] = 2
	})
	_, err := ReadModel(bytes.NewReader(data))
	if !errors.Is(err, ErrFormatVersion) {
		t.Fatalf("err = %v, want ErrFormatVersion", err)
	}
	if !strings.Contains(err.Error(), "file has 2, this build reads 1") {
		t.Errorf("error does not name both versions: %v", err)
	}
}

func TestReadModelRejectsEditedWeight(t *testing.T) {
	data := rewrite(t, encodeModel(t, randomModel(t, 4, 2, 1)), false, func(_, content map[string]any) {
		w := content["weights"].(map[string]any)
		w["by"].([]any)[0] = 0.123
	})
	if _, err := ReadModel(bytes.NewReader(data)); !errors.Is(err, ErrChecksum) {
		t.Fatalf("err = %v, want ErrChecksum", err)
	}
}

func TestReadModelRejectsTruncatedFile(t *testing.T) {
	data := encodeModel(t, randomModel(t, 4, 2, 1))
	for _, n := range []int{0, 1, len(data) / 2, len(data) - 3} {
		if _, err := ReadModel(bytes.NewReader(data[:n])); !errors.Is(err, ErrCorrupt) {
			t.Errorf("truncated to %d bytes: err = %v, want ErrCorrupt", n, err)
		}
	}
}

func TestReadModelRejectsWrongShapes(t *testing.T) {
	cases := map[string]func(file, content map[string]any){
		"hidden does not match weights": func(_, c map[string]any) {
			c["architecture"].(map[string]any)["hidden"] = 5
		},
		"missing gate": func(_, c map[string]any) {
			c["weights"].(map[string]any)["wh"].([]any)[3] = nil
		},
		"head too short": func(_, c map[string]any) {
			w := c["weights"].(map[string]any)
			w["wy"] = w["wy"].([]any)[1:]
		},
		"input size": func(_, c map[string]any) {
			c["architecture"].(map[string]any)["input_size"] = 12
		},
		"unknown feature": func(_, c map[string]any) {
			c["architecture"].(map[string]any)["features"] = []string{"delta_last", "hour"}
		},
		"zero scale": func(_, c map[string]any) {
			c["normalisation"].(map[string]any)["delta_scale"] = 0
		},
	}
	good := encodeModel(t, randomModel(t, 4, 2, 1))
	for name, edit := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ReadModel(bytes.NewReader(rewrite(t, good, true, edit)))
			if !errors.Is(err, ErrShape) {
				t.Fatalf("err = %v, want ErrShape", err)
			}
		})
	}
}

func TestLoadModelMissingFile(t *testing.T) {
	_, err := LoadModel(filepath.Join(t.TempDir(), "none.json"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("err = %v, want not-exist", err)
	}
}

// FuzzReadModel checks that no input makes ReadModel panic, that every
// failure has a message, and that anything it accepts can forecast. Run it
// with a short minimisation time (the seed is a 10 KB file):
//
//	go test ./stages/forecast -run XXX -fuzz FuzzReadModel -fuzztime 60s -fuzzminimizetime 3s
func FuzzReadModel(f *testing.F) {
	good := encodeModel(f, randomModel(f, 3, 2, 1))
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte(`{"format_version":1,"checksum":"","model":{}}`))
	f.Add([]byte(`{"format_version":1,"model":null}`))
	f.Add([]byte(`[]`))
	f.Add([]byte{})

	window := make([]float64, InputSize)
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ReadModel(bytes.NewReader(data))
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		m.Predict(window, make([]float64, m.Horizon()))
	})
}
