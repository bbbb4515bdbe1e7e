package trace

import (
	"bytes"
	"fmt"
	"testing"
	"time"
)

// benchInputs builds one day of minutes (1,440 readings) in two shapes.
func benchInputs() (prom, csv []byte) {
	start := time.Date(2014, 2, 14, 0, 0, 0, 0, time.UTC)
	var p, c bytes.Buffer
	p.WriteString(`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"instance":"a"},"values":[`)
	c.WriteString("Timestamp,Average,Unit\n")
	for i := range 1440 {
		t := start.Add(time.Duration(i) * time.Minute)
		if i > 0 {
			p.WriteByte(',')
		}
		fmt.Fprintf(&p, `[%d,"%d.5"]`, t.Unix(), i%100)
		fmt.Fprintf(&c, "%s,%d.5,Percent\n", t.Format(time.RFC3339), i%100)
	}
	p.WriteString("]}]}}")
	return p.Bytes(), c.Bytes()
}

func BenchmarkReadAnyAll(b *testing.B) {
	prom, csv := benchInputs()
	for name, data := range map[string][]byte{"prometheus_1440": prom, "cloudwatch_csv_1440": csv} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := ReadAnyAll(bytes.NewReader(data), "bench", Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
