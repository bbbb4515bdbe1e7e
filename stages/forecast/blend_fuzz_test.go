package forecast

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas"
)

// FuzzRestoreHost feeds RestoreHost whatever a host_state row's JSON may
// hold, then forecasts on: a blend it takes must never panic or make a
// forecast that is not finite, whatever its values.
func FuzzRestoreHost(f *testing.F) {
	m, err := DefaultModel()
	if err != nil {
		f.Fatal(err)
	}
	s, _ := NewStage(Config{Step: time.Minute}, m)
	for _, c := range stepWindows(30) {
		s.Forecast(c)
	}
	hs := schemas.HostState{Host: "h1"}
	s.SnapshotHost(&hs)
	good, _ := json.Marshal(hs)
	f.Add(string(good), uint8(3))
	f.Add(`{"Host":"h1","Blend":{"Horizon":12,"Shares":[0,0.5,1,1.5],"Rows":12,"Errors":[],"Pending":[]}}`, uint8(0))
	f.Add(`{"Host":"h1","Blend":{"Horizon":12,"Shares":[0,0.5,1,1.5],"Rows":-1}}`, uint8(1))

	f.Fuzz(func(t *testing.T, raw string, skip uint8) {
		var hs schemas.HostState
		if json.Unmarshal([]byte(raw), &hs) != nil {
			return
		}
		s, err := NewStage(Config{Step: time.Minute}, m)
		if err != nil {
			t.Fatal(err)
		}
		hs.Host = "h1"
		if err := s.RestoreHost(hs); err != nil && err.Error() == "" {
			t.Fatal("empty error")
		}
		cs := stepWindows(20)
		if hs.Blend != nil {
			// Continue from the restored step, or after a gap.
			for i := range cs {
				cs[i].Step.Time = hs.Blend.At.Add(time.Duration(int(skip)%3+i) * time.Minute)
			}
		}
		for _, c := range cs {
			fc := s.Forecast(c)
			for h, v := range fc.Values {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("h%d: forecast %v after restoring %s", h+1, v, raw)
				}
			}
		}
	})
}
