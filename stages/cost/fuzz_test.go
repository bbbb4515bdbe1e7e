package cost

import (
	"bytes"
	"math"
	"testing"
)

// FuzzLoadCatalog checks that a user's catalog file never panics the
// loader, that a rejection always says why, and that whatever is accepted
// prices back exactly what Entries lists, positive and finite.
func FuzzLoadCatalog(f *testing.F) {
	f.Add(defaultPrices)
	f.Add([]byte("prices:\n  aws:\n    us-east-1:\n      m5.large: 0.07\n"))
	f.Add([]byte(`{"prices": {"gcp": {"us-east1": {"e2-standard-2": 0.067}}}}`))
	f.Add([]byte("prices:\n  aws: &a\n    x: *a\n"))

	f.Fuzz(func(t *testing.T, in []byte) {
		c, err := LoadCatalog(bytes.NewReader(in))
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}

		for _, e := range c.Entries() {
			if !(e.PricePerHour > 0) || math.IsInf(e.PricePerHour, 0) {
				t.Fatalf("accepted price %+v", e)
			}
			p, err := c.Price(e.Provider, e.Region, e.InstanceType)
			if err != nil || p != e.PricePerHour {
				t.Fatalf("entry %+v prices as %g, %v", e, p, err)
			}
		}
	})
}
