package pipeline

import (
	"github.com/scalora/scalora/schemas"
	"github.com/scalora/scalora/stages/window"
)

// The stage contracts below are what the Processor needs of each stage. All
// of them are called by the Processor with a lock held (the shard's for the
// host stages, the group lock for the others), so an implementation need
// not be safe for concurrent use; none may keep a reference to a
// window.Closed's Values after returning.

// Windower places samples on each host's step grid and returns the steps the
// sample closed, oldest first, appended to dst. A sample it cannot place
// (late) is an error wrapping *schemas.SampleError.
//
// A sample it has applied already (Seq at or below the host's) is skipped
// with an error wrapping window.ErrReplayed, and an exact duplicate with
// window.ErrDuplicate: both are dropped and counted, not dead-lettered.
// SnapshotDirty and Restore carry hosts' state across restarts and
// partition moves (see window.Windower).
type Windower interface {
	Add(s schemas.Sample, dst []window.Closed) ([]window.Closed, error)
	SnapshotDirty(source string, dst []schemas.HostState) []schemas.HostState
	Restore(hs schemas.HostState) error
	// CloseIdle closes the open steps of hosts silent for the configured
	// idle timeout (none when it is off), appending them like Add.
	CloseIdle(dst []window.Closed) []window.Closed
}

// Forecaster predicts a host's next steps from its closed window. It always
// returns a forecast: a host without a full window gets a stated fallback.
type Forecaster interface {
	Forecast(c window.Closed) schemas.Forecast
}

// HostStateKeeper is a host stage with per-host state of its own to carry
// across restarts and partition moves beside the window's: SnapshotHost
// adds the host's state to the snapshot the window stage took of hs.Host,
// and RestoreHost takes it back after the window stage restored hs. A
// state RestoreHost refuses leaves that host's state fresh; the window's
// still counts as restored. The forecast stage keeps its blends this way.
type HostStateKeeper interface {
	SnapshotHost(hs *schemas.HostState)
	RestoreHost(hs schemas.HostState) error
}

// Scorer gives a closed window its anomaly score. ObserveForecast gives it
// the forecast made at the same step, whose one-step residual it scores
// once the next step closes.
type Scorer interface {
	Score(c window.Closed) schemas.Anomaly
	ObserveForecast(f schemas.Forecast)
}

// Decider turns host forecasts into group decisions. It returns the
// decisions of the group steps that the forecast completed, if any.
type Decider interface {
	Observe(f schemas.Forecast, cpuNow float64) []schemas.Decision
	// Flush decides every pending group step (end of a replay).
	Flush() []schemas.Decision
}

// Coster prices a decision against the group's static configuration.
type Coster interface {
	Cost(d schemas.Decision) (schemas.Cost, error)
}

// OpportunityFinder turns priced decisions into missed scale-down
// opportunities, each returned once its interval has ended.
type OpportunityFinder interface {
	Observe(d schemas.Decision, c schemas.Cost) []schemas.Opportunity
	// Flush ends every open interval (end of a replay).
	Flush() []schemas.Opportunity
}
