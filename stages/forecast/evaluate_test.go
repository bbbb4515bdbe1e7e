package forecast

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/scalora/scalora/cmd/scalora/traces"
)

func TestEvaluateLastValueOnRamp(t *testing.T) {
	// On a ramp rising 2 per step, last value is off by 2*h at horizon h.
	s := make([]float64, 60)
	for i := range s {
		s[i] = float64(2 * i)
	}
	mae, err := Evaluate(LastValue{H: 6}, s, []int{1, 3, 6})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{2, 6, 12} {
		if math.Abs(mae[i]-want) > 1e-12 {
			t.Errorf("horizon index %d: MAE %v, want %v", i, mae[i], want)
		}
	}
}

func TestEvaluateRejectsBadInput(t *testing.T) {
	if _, err := Evaluate(LastValue{H: 3}, make([]float64, 100), []int{4}); err == nil {
		t.Error("accepted horizon 4 for a forecaster of horizon 3")
	}
	if _, err := Evaluate(LastValue{H: 3}, make([]float64, 26), []int{3}); !errors.Is(err, ErrNoData) {
		t.Errorf("26 steps for 24+3: err = %v, want ErrNoData", err)
	}
}

// TestDefaultModelQualityOnNAB compares the default model with the last
// value on the last 20 % of a bundled NAB trace (the part training held out
// for validation). It asserts only a sane bound: the LSTM is not required
// to win yet.
func TestDefaultModelQualityOnNAB(t *testing.T) {
	m, err := DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	horizons := []int{1, 6, 12}

	for _, name := range []string{"ec2_cpu_utilization_825cc2", "cpu_utilization_asg_misconfiguration"} {
		tr, err := traces.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		s := AlignTrace(tr, 5*time.Minute)
		tail := s[int(float64(len(s))*0.8)-InputSize:]

		lstm, err := Evaluate(m, tail, horizons)
		if err != nil {
			t.Fatal(err)
		}
		last, err := Evaluate(LastValue{H: m.Horizon()}, tail, horizons)
		if err != nil {
			t.Fatal(err)
		}

		for i, h := range horizons {
			t.Logf("%s h%-2d  MAE lstm %6.3f  last_value %6.3f", name, h, lstm[i], last[i])
			if math.IsNaN(lstm[i]) || lstm[i] > 2*last[i] {
				t.Errorf("%s horizon %d: LSTM MAE %.3f, last value %.3f", name, h, lstm[i], last[i])
			}
		}
	}
}
