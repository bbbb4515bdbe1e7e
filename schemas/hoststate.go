package schemas

import "time"

// HostState is what the window stage knows of one host, as it is written to
// the store so that a restarted process, or the member a partition moves to,
// resumes the host where it was instead of waiting for a new full window.
// Its natural key is Host; a later Updated replaces an earlier one.
type HostState struct {
	Host  string
	Group string

	// Source and Partition name where the host's samples are read; Seq is
	// the Sample.Seq of the last sample the state includes (0 when the
	// source has no order).
	Source    string
	Partition int32
	Seq       int64

	// Step and Size are the grid the state was built on: a process with
	// another step or size cannot use it.
	Step time.Duration
	Size int

	// Newest is the host's latest sample time; Next the start of its oldest
	// step not closed yet; Last the start of its last closed step with
	// samples (zero time when none).
	Newest time.Time
	Next   time.Time
	Last   time.Time

	// GapAt and GapSteps describe the last gap that reset the window (zero
	// when it never was).
	GapAt    time.Time
	GapSteps int64

	// Window is the host's window, oldest first (at most Size values).
	Window []float64

	// Open lists the steps that have samples but are not closed yet: their
	// start, their aggregate so far (sum for a mean, or max) and how many
	// samples it holds.
	OpenStarts []time.Time
	OpenValues []float64
	OpenCounts []float64

	// Recent are the times of the host's latest samples, to recognise exact
	// duplicates.
	Recent []time.Time

	// Blend is the forecast stage's record of how the model's corrections
	// fared on this host (stages/forecast, Config.Blend); nil when the
	// stage does not blend or has not forecast the host yet.
	Blend *BlendState `json:",omitempty"`

	// Updated is when the state was taken; it orders versions of a host.
	Updated time.Time
}

// BlendState is one host's forecast blend: its decayed errors per horizon
// and share of the model's correction, and the corrections not yet scored.
// Its layout is the forecast stage's; a stage with another horizon or
// other shares does not take it.
type BlendState struct {
	Horizon int
	Shares  []float32 // the shares Errors are kept for, in order
	At      time.Time // start of the newest step the blend has seen
	Rows    int       // origins with corrections pending
	Errors  []float32 // Horizon × Shares
	Pending []int16   // Horizon×(Horizon+1)/2, newest origin first
}
