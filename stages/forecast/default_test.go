package forecast

import (
	"testing"
)

func TestDefaultModelLoads(t *testing.T) {
	m, err := DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	if m.Name() != "lstm-h32-v1" || m.Horizon() != 12 {
		t.Errorf("default model %s horizon %d", m.Name(), m.Horizon())
	}
	if n := len(m.Training.Series); n != 7 {
		t.Errorf("trained on %d series, want the 7 bundled NAB traces", n)
	}
	if len(defaultModelJSON) >= 1<<20 {
		t.Errorf("default_model.json is %d bytes, keep it under 1 MB", len(defaultModelJSON))
	}
}
