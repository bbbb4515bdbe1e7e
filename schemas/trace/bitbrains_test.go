package trace

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scalora/scalora/schemas/trace/tracetest"
)

const bbHeader = "Timestamp [ms];\tCPU cores;\tCPU capacity provisioned [MHZ];\tCPU usage [MHZ];\tCPU usage [%];\tMemory usage [KB]\n"

func TestReadBitbrainsSecondsDespiteMsHeader(t *testing.T) {
	in := bbHeader +
		"1372630104;\t4;\t11703.99;\t58.5;\t0.5;\t0.0\n" +
		"1372629804;\t4;\t11703.99;\t68.2;\t0.58;\t167772.0\n"
	s, err := ReadBitbrains(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if s.Format != FormatBitbrains || len(s.Points) != 2 {
		t.Fatalf("got format %q and %d points", s.Format, len(s.Points))
	}
	want := time.Date(2013, 6, 30, 22, 3, 24, 0, time.UTC)
	if !s.Points[0].Time.Equal(want) || s.Points[0].CPU != 0.58 {
		t.Errorf("first point %+v, want %s 0.58 (sorted, timestamps in seconds)", s.Points[0], want)
	}
}

func TestReadBitbrainsAcceptsMilliseconds(t *testing.T) {
	s, err := ReadBitbrains(strings.NewReader(bbHeader + "1372629804000;\t4;\t1;\t1;\t3;\t0\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Points[0].Time.Unix(); got != 1372629804 {
		t.Errorf("time %d, want 1372629804", got)
	}
}

func TestReadBitbrainsKeepsCPUAbove100AndMergesDuplicates(t *testing.T) {
	in := bbHeader +
		"100;\t4;\t1;\t1;\t112;\t0\n" +
		"100;\t4;\t1;\t1;\t108;\t0\n" +
		"400;\t4;\t1;\t1;\t7;\t0\n"
	s, err := ReadBitbrains(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Points) != 2 || s.Points[0].CPU != 110 {
		t.Fatalf("points %+v, want 2 with the duplicate merged to 110", s.Points)
	}
}

func TestReadBitbrainsFindsCPUColumnByName(t *testing.T) {
	in := "Timestamp [ms];\tCPU usage [%];\tCPU cores\n100;\t42;\t4\n"
	s, err := ReadBitbrains(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if s.Points[0].CPU != 42 {
		t.Errorf("cpu %g, want 42 from the column named %q", s.Points[0].CPU, bitbrainsCPUColumn)
	}
}

func TestReadBitbrainsRejectsBadInput(t *testing.T) {
	cases := map[string]string{
		"no cpu column":  "Timestamp [ms];\tCPU cores\n1;\t2\n",
		"no header":      "1372629804;\t4;\t1;\t1;\t3;\t0\n",
		"short row":      bbHeader + "100;\t4\n",
		"bad timestamp":  bbHeader + "soon;\t4;\t1;\t1;\t3;\t0\n",
		"negative cpu":   bbHeader + "100;\t4;\t1;\t1;\t-3;\t0\n",
		"nan cpu":        bbHeader + "100;\t4;\t1;\t1;\tNaN;\t0\n",
		"huge timestamp": bbHeader + "1e30;\t4;\t1;\t1;\t3;\t0\n",
	}
	for name, in := range cases {
		_, err := ReadBitbrains(strings.NewReader(in))
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%s: err %v, want a *ParseError", name, err)
		}
	}
	if _, err := ReadBitbrains(strings.NewReader(bbHeader)); !errors.Is(err, ErrEmpty) {
		t.Errorf("header only: err %v, want ErrEmpty", err)
	}
}

func FuzzReadBitbrains(f *testing.F) {
	f.Add(bbHeader + "1372629804;\t4;\t1;\t1;\t3;\t0\n")
	f.Add("Timestamp [ms];\tCPU usage [%]\n1;\t1e400\n")
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ReadBitbrains(strings.NewReader(in))
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		for i, p := range s.Points {
			if p.CPU < 0 || (i > 0 && !p.Time.After(s.Points[i-1].Time)) {
				t.Fatalf("point %d %+v breaks the Series contract", i, p)
			}
		}
	})
}

func TestReadAnyRealBitbrainsAndNAB(t *testing.T) {
	data := tracetest.SharedData(t)

	bb, err := ReadAny(filepath.Join(data, "bitbrains_rnd", "2013-7", "185.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if bb.Format != FormatBitbrains || bb.Name != "2013-7/185" || len(bb.Points) < 8000 {
		t.Fatalf("bitbrains: format %q name %q %d points", bb.Format, bb.Name, len(bb.Points))
	}
	if first := bb.Points[0].Time; first.Year() != 2013 {
		t.Errorf("first timestamp %s, want 2013 (timestamps are seconds)", first)
	}

	nab, err := ReadAny(filepath.Join(data, "nab", "realAWSCloudwatch", "ec2_cpu_utilization_825cc2.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if nab.Format != FormatNAB || nab.Name != "ec2_cpu_utilization_825cc2" || len(nab.Points) != 4032 {
		t.Fatalf("nab: format %q name %q %d points", nab.Format, nab.Name, len(nab.Points))
	}
}
