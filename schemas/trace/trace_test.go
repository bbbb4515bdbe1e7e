package trace

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestReadNABSortsAndMergesDuplicates(t *testing.T) {
	in := "\xef\xbb\xbftimestamp,value\n" +
		"2014-02-14 14:35:00,4\n" +
		"2014-02-14 14:30:00,1\n" +
		"2014-02-14 14:35:00,6\n"
	s, err := ReadNAB(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Points) != 2 {
		t.Fatalf("got %d points, want 2", len(s.Points))
	}
	want0 := time.Date(2014, 2, 14, 14, 30, 0, 0, time.UTC)
	if !s.Points[0].Time.Equal(want0) || s.Points[0].CPU != 1 {
		t.Errorf("first point %+v", s.Points[0])
	}
	if s.Points[1].CPU != 5 {
		t.Errorf("duplicate timestamps merged to %g, want mean 5", s.Points[1].CPU)
	}
}

func TestReadNABNamesLineAndColumn(t *testing.T) {
	cases := map[string]struct {
		in        string
		line, col int
	}{
		"bad time":  {"timestamp,value\n2014-02-14 14:30:00,1\n14:35,2\n", 3, 1},
		"bad value": {"timestamp,value\n2014-02-14 14:30:00,abc\n", 2, 2},
		"nan value": {"timestamp,value\n2014-02-14 14:30:00,NaN\n", 2, 2},
		"one field": {"timestamp,value\n2014-02-14 14:30:00\n", 2, 0},
		"extra":     {"timestamp,value\n2014-02-14 14:30:00,1,2\n", 2, 0},
		"negative":  {"timestamp,value\n2014-02-14 14:30:00,-1\n", 2, 2},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ReadNAB(strings.NewReader(c.in))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a ParseError", err)
			}
			if pe.Line != c.line || pe.Column != c.col {
				t.Errorf("got line %d column %d, want %d %d (%v)", pe.Line, pe.Column, c.line, c.col, err)
			}
		})
	}
}

func TestReadNABRejectsEmpty(t *testing.T) {
	if _, err := ReadNAB(strings.NewReader("timestamp,value\n")); !errors.Is(err, ErrEmpty) {
		t.Fatalf("err = %v, want ErrEmpty", err)
	}
}

func FuzzReadNAB(f *testing.F) {
	f.Add("timestamp,value\n2014-02-14 14:30:00,1\n")
	f.Add("2014-02-14 14:30:00,1e308\n")
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ReadNAB(strings.NewReader(in))
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		for i := 1; i < len(s.Points); i++ {
			if !s.Points[i].Time.After(s.Points[i-1].Time) {
				t.Fatalf("points not strictly increasing at %d", i)
			}
		}
	})
}
