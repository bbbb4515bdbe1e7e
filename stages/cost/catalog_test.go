package cost

import (
	"errors"
	"strings"
	"testing"
)

func defaultCatalog(t testing.TB) *Catalog {
	t.Helper()
	c, err := DefaultCatalog()
	if err != nil {
		t.Fatalf("default catalog: %v", err)
	}
	return c
}

func TestDefaultCatalogKnownPrices(t *testing.T) {
	c := defaultCatalog(t)

	cases := []struct {
		provider, region, typ string
		want                  float64
	}{
		{"aws", "us-east-1", "m5.large", 0.096},
		{"aws", "us-east-1", "t3.micro", 0.0104},
		{"aws", "us-east-1", "c5.large", 0.085},
		{"aws", "us-east-1", "r5.large", 0.126},
		{"aws", "us-east-1", "m6i.large", 0.096},
		{"aws", "us-west-2", "r5.4xlarge", 1.008},
		{"aws", "eu-west-1", "m5.large", 0.107},
		{"gcp", "us-central1", "e2-standard-2", 0.067006},
		{"gcp", "us-central1", "n2-standard-2", 0.097118},
		{"gcp", "us-central1", "c2-standard-4", 0.2088},
		{"gcp", "europe-west1", "n2-standard-16", 0.854672},
	}
	for _, k := range cases {
		got, err := c.Price(k.provider, k.region, k.typ)
		if err != nil || got != k.want {
			t.Errorf("%s %s %s: got %g, %v; want %g", k.provider, k.region, k.typ, got, err, k.want)
		}
	}
	if c.Taken() != "2026-11" {
		t.Errorf("taken %q", c.Taken())
	}
}

// Every family the catalog promises is there in every region it lists, and
// within a family each size costs twice the one below (both providers
// price these families linearly in vCPUs).
func TestDefaultCatalogIsCompleteAndLinearInSize(t *testing.T) {
	c := defaultCatalog(t)

	families := map[string]struct {
		regions []string
		sizes   []string
	}{
		"t3.":          {[]string{"us-east-1", "us-west-2", "eu-west-1"}, []string{"micro", "small", "medium", "large", "xlarge", "2xlarge"}},
		"m5.":          {[]string{"us-east-1", "us-west-2", "eu-west-1"}, []string{"large", "xlarge", "2xlarge", "4xlarge"}},
		"m6i.":         {[]string{"us-east-1", "us-west-2", "eu-west-1"}, []string{"large", "xlarge", "2xlarge", "4xlarge"}},
		"c5.":          {[]string{"us-east-1", "us-west-2", "eu-west-1"}, []string{"large", "xlarge", "2xlarge", "4xlarge"}},
		"r5.":          {[]string{"us-east-1", "us-west-2", "eu-west-1"}, []string{"large", "xlarge", "2xlarge", "4xlarge"}},
		"e2-standard-": {[]string{"us-central1", "europe-west1"}, []string{"2", "4", "8", "16"}},
		"n2-standard-": {[]string{"us-central1", "europe-west1"}, []string{"2", "4", "8", "16"}},
		"c2-standard-": {[]string{"us-central1", "europe-west1"}, []string{"4", "8", "16"}},
	}
	count := 0
	for prefix, f := range families {
		provider := "aws"
		if strings.Contains(prefix, "-") {
			provider = "gcp"
		}
		for _, region := range f.regions {
			prev := 0.0
			for _, size := range f.sizes {
				p, err := c.Price(provider, region, prefix+size)
				if err != nil {
					t.Fatalf("missing: %v", err)
				}
				if prev > 0 && (p/prev < 1.999 || p/prev > 2.001) {
					t.Errorf("%s %s%s: %g is not twice %g", region, prefix, size, p, prev)
				}
				prev = p
				count++
			}
		}
	}
	if n := len(c.Entries()); n != count {
		t.Errorf("catalog has %d entries, the families account for %d", n, count)
	}
}

func TestPriceUnknownTypeListsKnownTypes(t *testing.T) {
	c := defaultCatalog(t)

	_, err := c.Price("aws", "us-east-1", "m7g.large")
	if !errors.Is(err, ErrUnknownInstanceType) {
		t.Fatalf("got %v, want ErrUnknownInstanceType", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, `"m7g.large"`) ||
		!strings.Contains(msg, "known types there: t3.micro, t3.small, t3.medium, t3.large,") ||
		!strings.Contains(msg, "r5.4xlarge") || !strings.Contains(msg, "cost_per_hour") {
		t.Errorf("message does not name the known types and the fix: %s", msg)
	}

	_, err = c.Price("gcp", "asia-east1", "e2-standard-2")
	if !errors.Is(err, ErrUnknownRegion) || !strings.Contains(err.Error(), "known gcp regions: europe-west1, us-central1") {
		t.Errorf("unknown region: %v", err)
	}
}

func TestEntriesSortedByProviderRegionPrice(t *testing.T) {
	e := defaultCatalog(t).Entries()

	first, last := e[0], e[len(e)-1]
	if first != (Entry{"aws", "eu-west-1", "t3.micro", 0.0114}) {
		t.Errorf("first entry %+v", first)
	}
	if last != (Entry{"gcp", "us-central1", "c2-standard-16", 0.8352}) {
		t.Errorf("last entry %+v", last)
	}
}

func TestOverlayReplacesAndExtends(t *testing.T) {
	base := defaultCatalog(t)
	mine, err := LoadCatalog(strings.NewReader(`
taken: "2026-12"
prices:
  aws:
    us-east-1:
      m5.large: 0.07   # negotiated
      m7g.large: 0.0816
`))
	if err != nil {
		t.Fatal(err)
	}

	c := base.Overlay(mine)
	for typ, want := range map[string]float64{"m5.large": 0.07, "m7g.large": 0.0816, "c5.large": 0.085} {
		if got, err := c.Price("aws", "us-east-1", typ); err != nil || got != want {
			t.Errorf("%s: got %g, %v; want %g", typ, got, err, want)
		}
	}
	if got, _ := base.Price("aws", "us-east-1", "m5.large"); got != 0.096 {
		t.Errorf("overlay changed the base catalog: m5.large %g", got)
	}
	if c.Taken() != "2026-12" {
		t.Errorf("taken %q", c.Taken())
	}
}

func TestLoadCatalogRejects(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"empty", "", "the file is empty"},
		{"misspelt key", "price:\n  aws: {}\n", "field price not found"},
		{"unknown provider", "prices:\n  azure:\n    eastus:\n      d2s_v5: 0.096\n", `provider "azure"`},
		{"zero price", "prices:\n  aws:\n    us-east-1:\n      m5.large: 0\n", "m5.large: price 0 is not a positive number"},
		{"negative price", "prices:\n  aws:\n    us-east-1:\n      m5.large: -1\n", "price -1"},
		{"not a number", "prices:\n  aws:\n    us-east-1:\n      m5.large: cheap\n", "cannot unmarshal"},
		{"other currency", "currency: EUR\n", `currency "EUR"`},
	}
	for _, k := range cases {
		t.Run(k.name, func(t *testing.T) {
			_, err := LoadCatalog(strings.NewReader(k.in))
			if !errors.Is(err, ErrInvalidCatalog) || !strings.Contains(err.Error(), k.want) {
				t.Errorf("got %v, want ErrInvalidCatalog containing %q", err, k.want)
			}
		})
	}
}

func TestLoadCatalogReadsJSON(t *testing.T) {
	c, err := LoadCatalog(strings.NewReader(`{"prices": {"gcp": {"us-east1": {"e2-standard-2": 0.067}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if p, err := c.Price("gcp", "us-east1", "e2-standard-2"); err != nil || p != 0.067 {
		t.Errorf("got %g, %v", p, err)
	}
}
