package migrate

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/scalora/scalora/pipeline/store"
)

func TestFilesHaveIncreasingVersionsAndStableChecksums(t *testing.T) {
	files, stmts, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(stmts) || len(files) < 16 {
		t.Fatalf("%d files, %d statements", len(files), len(stmts))
	}
	for i, m := range files {
		if i > 0 && m.Version <= files[i-1].Version {
			t.Errorf("%s: version %d not above %s's", m.Name, m.Version, files[i-1].Name)
		}
		if len(m.Checksum) != 64 {
			t.Errorf("%s: checksum %q is not hex SHA-256", m.Name, m.Checksum)
		}
	}

	again, _, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	if again[3].Checksum != files[3].Checksum {
		t.Error("checksum differs between two reads of the same file")
	}
}

// fake is an Engine over an in-memory ledger that records statements.
type fake struct {
	ledger map[string]string
	ran    []string
	failOn string
}

func (f *fake) engine() Engine {
	return Engine{
		Exec: func(_ context.Context, q string) error {
			if f.failOn != "" && strings.Contains(q, f.failOn) {
				return errors.New("boom")
			}
			f.ran = append(f.ran, q)
			if strings.HasPrefix(q, "INSERT INTO") {
				parts := strings.Split(q, "'")
				f.ledger[parts[1]] = parts[3]
			}
			return nil
		},
		Query: func(context.Context, string) (*store.Result, error) {
			res := &store.Result{Columns: []string{"name", "checksum"}}
			for n, c := range f.ledger {
				res.Rows = append(res.Rows, []any{n, c})
			}
			return res, nil
		},
	}
}

func TestApplyRefusesChangedFileBeforeRunningAnything(t *testing.T) {
	f := &fake{ledger: map[string]string{"0003_forecasts.sql": strings.Repeat("0", 64)}}
	_, err := Apply(context.Background(), f.engine(), "scalora")
	if !errors.Is(err, ErrChecksumChanged) {
		t.Fatalf("got %v, want ErrChecksumChanged", err)
	}
	if !strings.Contains(err.Error(), "0003_forecasts.sql") || !strings.Contains(err.Error(), "new numbered file") {
		t.Errorf("error %q does not name the file and the fix", err)
	}
	for _, q := range f.ran {
		if strings.Contains(q, "CREATE TABLE IF NOT EXISTS `scalora`.steps") {
			t.Error("a migration ran although the ledger disagreed with a file")
		}
	}
}

func TestApplyStopsAtFailingFileAndResumesThere(t *testing.T) {
	f := &fake{ledger: map[string]string{}, failOn: ".decisions"}
	rep, err := Apply(context.Background(), f.engine(), "scalora")
	if err == nil || !strings.Contains(err.Error(), "0005_decisions.sql") {
		t.Fatalf("got %v, want an error naming 0005_decisions.sql", err)
	}
	if len(rep.Applied) != 4 || len(f.ledger) != 4 {
		t.Fatalf("applied %d, recorded %d, want the 4 files before the failing one", len(rep.Applied), len(f.ledger))
	}

	f.failOn = ""
	rep, err = Apply(context.Background(), f.engine(), "scalora")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Applied[0].Name != "0005_decisions.sql" || len(rep.Skipped) != 4 {
		t.Errorf("resumed at %s with %d skipped, want 0005_decisions.sql and 4", rep.Applied[0].Name, len(rep.Skipped))
	}
}

func TestApplyReportsLedgerEntriesOfANewerRelease(t *testing.T) {
	f := &fake{ledger: map[string]string{"9999_future.sql": "abc"}}
	rep, err := Apply(context.Background(), f.engine(), "scalora")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Unknown) != 1 || rep.Unknown[0] != "9999_future.sql" {
		t.Errorf("unknown = %v", rep.Unknown)
	}
}

func TestApplyRefusesDatabaseNamesThatNeedQuoting(t *testing.T) {
	f := &fake{ledger: map[string]string{}}
	if _, err := Apply(context.Background(), f.engine(), "a;b"); err == nil {
		t.Fatal("accepted")
	}
	if len(f.ran) != 0 {
		t.Errorf("ran %d statements", len(f.ran))
	}
}

func TestSetStepsTTLRefusesLessThanADay(t *testing.T) {
	f := &fake{ledger: map[string]string{}}
	if err := SetStepsTTL(context.Background(), f.engine(), "scalora", 0); err == nil {
		t.Fatal("accepted 0")
	}
	if err := SetStepsTTL(context.Background(), f.engine(), "scalora", 36*60*60*1e9); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.ran[0], "toIntervalDay(1)") {
		t.Errorf("ran %q, want 1 day", f.ran[0])
	}
}
