package forecast

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// MaxModelFileBytes is the largest model file ReadModel accepts.
const MaxModelFileBytes = 64 << 20

// modelFile is the layout of a model file: a JSON object with the format
// version, the SHA-256 of the model object and the model object itself.
//
// The checksum covers the compact JSON encoding of "model" (json.Compact),
// so re-indenting the file keeps it valid but changing any value does not.
type modelFile struct {
	FormatVersion int             `json:"format_version"`
	Checksum      string          `json:"checksum"` // "sha256:" + hex
	Model         json.RawMessage `json:"model"`
}

// modelContent is the checksummed part of a model file.
type modelContent struct {
	Name          string          `json:"name"`
	Architecture  Architecture    `json:"architecture"`
	Normalisation Normalisation   `json:"normalisation"`
	Training      TrainingSummary `json:"training"`
	Weights       Weights         `json:"weights"`
}

// Save writes the model to path as JSON (see WriteTo), through a temporary
// file renamed into place so readers never see half a file.
func (m *Model) Save(path string) error {
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		return fmt.Errorf("save model: %w", err)
	}

	tmp, err := os.CreateTemp(filepath.Dir(path), ".model-*.tmp")
	if err != nil {
		return fmt.Errorf("save model: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename

	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return fmt.Errorf("save model: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save model: %w", err)
	}
	// CreateTemp makes the file private; a model is not a secret.
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("save model: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save model: %w", err)
	}
	return nil
}

// WriteTo writes the model file (format version, checksum, architecture,
// normalisation, training summary and weights) to w as indented JSON.
func (m *Model) WriteTo(w io.Writer) (int64, error) {
	content, err := json.Marshal(modelContent{
		Name:          m.Name(),
		Architecture:  m.Arch,
		Normalisation: m.Norm,
		Training:      m.Training,
		Weights:       m.W,
	})
	if err != nil {
		return 0, fmt.Errorf("encode model: %w", err)
	}

	sum := sha256.Sum256(content)
	out, err := json.MarshalIndent(modelFile{
		FormatVersion: FormatVersion,
		Checksum:      "sha256:" + hex.EncodeToString(sum[:]),
		Model:         content,
	}, "", " ")
	if err != nil {
		return 0, fmt.Errorf("encode model: %w", err)
	}
	n, err := w.Write(append(out, '\n'))
	return int64(n), err
}

// LoadModel reads a model file from path (see ReadModel).
func LoadModel(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load model: %w", err)
	}
	defer f.Close()

	m, err := ReadModel(f)
	if err != nil {
		return nil, fmt.Errorf("load model %s: %w", path, err)
	}
	return m, nil
}

// ReadModel reads a model file written by WriteTo. It fails with
// ErrFormatVersion for another format version, ErrChecksum when the content
// does not match its checksum, ErrCorrupt for input that is not a model
// file (empty, truncated, too large, bad JSON) and ErrShape when the weights
// do not fit the architecture. The returned Model is ready for Predict.
func ReadModel(r io.Reader) (*Model, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxModelFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read model: %w", err)
	}
	if len(data) > MaxModelFileBytes {
		return nil, fmt.Errorf("read model: %w: larger than %d bytes", ErrCorrupt, MaxModelFileBytes)
	}

	var f modelFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("read model: %w: %v", ErrCorrupt, err)
	}
	if f.FormatVersion != FormatVersion {
		return nil, fmt.Errorf("read model: %w: file has %d, this build reads %d",
			ErrFormatVersion, f.FormatVersion, FormatVersion)
	}
	if len(f.Model) == 0 {
		return nil, fmt.Errorf("read model: %w: no \"model\" object", ErrCorrupt)
	}

	if err := verifyChecksum(f); err != nil {
		return nil, fmt.Errorf("read model: %w", err)
	}

	var c modelContent
	if err := json.Unmarshal(f.Model, &c); err != nil {
		return nil, fmt.Errorf("read model: %w: %v", ErrCorrupt, err)
	}
	m := &Model{Arch: c.Architecture, Norm: c.Normalisation, Training: c.Training, W: c.Weights}
	if err := m.checkShapes(); err != nil {
		return nil, fmt.Errorf("read model: %w", err)
	}
	m.prepare()
	return m, nil
}

func verifyChecksum(f modelFile) error {
	var compact bytes.Buffer
	if err := json.Compact(&compact, f.Model); err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	sum := sha256.Sum256(compact.Bytes())
	want := "sha256:" + hex.EncodeToString(sum[:])
	if f.Checksum != want {
		return fmt.Errorf("%w: file says %q, content hashes to %q", ErrChecksum, f.Checksum, want)
	}
	return nil
}
