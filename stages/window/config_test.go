package window

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSetDefaults(t *testing.T) {
	var c Config
	c.SetDefaults()
	want := Config{
		Step: time.Minute, Size: 24, Aggregate: AggregateMean, MaxGapSteps: 5, MaxHosts: 1_000_000,
	}
	if c != want {
		t.Errorf("defaults %+v, want %+v", c, want)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("defaults do not validate: %v", err)
	}

	// A small window gets a default gap that still validates.
	small := Config{Size: 4}
	small.SetDefaults()
	if small.MaxGapSteps != 3 {
		t.Errorf("default MaxGapSteps for Size 4 = %d, want 3", small.MaxGapSteps)
	}

	// Set fields are kept, and a negative gap (filling off) stays negative.
	set := Config{
		Step: 5 * time.Minute, Size: 48, Aggregate: AggregateMax,
		MaxGapSteps: -1, AllowedLateness: time.Minute, MaxHosts: 7,
	}
	got := set
	got.SetDefaults()
	if got != set {
		t.Errorf("SetDefaults changed set fields: %+v, want %+v", got, set)
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		cfg  Config
		want string // "" for valid
	}{
		{Config{Step: -time.Second}, "step -1s must be positive"},
		{Config{Step: 25 * time.Hour}, "step 25h0m0s is coarser than 24h0m0s"},
		{Config{Step: 24 * time.Hour}, ""},
		{Config{Step: time.Nanosecond}, ""},
		{Config{Size: 1}, "size 1 must be at least 2"},
		{Config{Size: MaxSize + 1}, "size 65537 exceeds 65536"},
		{Config{Size: 2}, ""},
		{Config{Aggregate: "median"}, `aggregate "median" is neither "mean" nor "max"`},
		{Config{Size: 6, MaxGapSteps: 6}, "max gap steps 6 must be smaller than size 6"},
		{Config{Size: 6, MaxGapSteps: 5}, ""},
		{Config{MaxGapSteps: -3}, ""},
		{Config{MaxHosts: -1}, "max hosts -1 must be positive"},
		{Config{AllowedLateness: -time.Second}, "allowed lateness -1s must not be negative"},
		{Config{AllowedLateness: 24 * time.Minute}, ""},
		{Config{AllowedLateness: 24*time.Minute + 1}, "allowed lateness 24m0.000000001s exceeds a window (size 24 × step 1m0s)"},
		{Config{Step: 24 * time.Hour, AllowedLateness: 8 * 24 * time.Hour}, "allowed lateness 192h0m0s exceeds 168h0m0s"},
	}
	for _, tc := range cases {
		c := tc.cfg
		c.SetDefaults()
		err := c.Validate()

		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%+v: %v, want valid", tc.cfg, err)
		case tc.want != "" && (!errors.Is(err, ErrInvalidConfig) || !strings.Contains(fmtErr(err), tc.want)):
			t.Errorf("%+v: error %v, want ErrInvalidConfig with %q", tc.cfg, err, tc.want)
		}

		// New reports the same.
		if _, nerr := New(tc.cfg); (nerr == nil) != (tc.want == "") {
			t.Errorf("New(%+v): %v, want error %v", tc.cfg, nerr, tc.want != "")
		}
	}
}

func fmtErr(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
