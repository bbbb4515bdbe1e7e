package forecast

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestTrainDefaultModel retrains default_model.json on the bundled NAB
// traces. It only runs with SCALORA_TRAIN_DEFAULT=1 (it takes minutes):
//
//	SCALORA_TRAIN_DEFAULT=1 go test ./stages/forecast -run TestTrainDefaultModel -v -timeout 30m
func TestTrainDefaultModel(t *testing.T) {
	if os.Getenv("SCALORA_TRAIN_DEFAULT") != "1" {
		t.Skip("set SCALORA_TRAIN_DEFAULT=1 to retrain default_model.json")
	}

	ts, err := BundledTraces()
	if err != nil {
		t.Fatal(err)
	}
	m, err := TrainFromTraces(context.Background(), DefaultTrainConfig(), ts, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}

	path := filepath.Join(".", defaultModelFile)
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s: best epoch %d of %d, validation %+v", path, m.Training.BestEpoch, m.Training.Epochs, m.Training.Validation)
}
