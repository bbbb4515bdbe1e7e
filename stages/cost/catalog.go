package cost

import (
	"bytes"
	"cmp"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/scalora/scalora/stages/decision"
)

//go:embed prices.yaml
var defaultPrices []byte

// Catalog maps (provider, region, instance type) to an on-demand price in
// USD per instance-hour. It is immutable once built and safe for concurrent
// use.
type Catalog struct {
	taken string
	// prices[provider][region][instanceType]
	prices map[string]map[string]map[string]float64
}

// Entry is one price of a Catalog.
type Entry struct {
	Provider     string
	Region       string
	InstanceType string
	PricePerHour float64 // USD, one instance
}

// catalogFile is the shape of prices.yaml and of users' catalog files.
type catalogFile struct {
	Taken    string                                   `yaml:"taken"`
	Currency string                                   `yaml:"currency"`
	Prices   map[string]map[string]map[string]float64 `yaml:"prices"`
}

// DefaultCatalog returns the built-in catalog of prices.yaml, whose prices
// were taken on the date Taken returns.
func DefaultCatalog() (*Catalog, error) {
	c, err := LoadCatalog(bytes.NewReader(defaultPrices))
	if err != nil {
		return nil, fmt.Errorf("built-in catalog: %w", err)
	}
	return c, nil
}

// LoadCatalog reads a catalog in the shape of prices.yaml (YAML or JSON):
// providers aws and gcp, currency USD (or omitted), every price a positive
// number. Unknown fields are errors, so a misspelt key is not silently
// ignored.
func LoadCatalog(r io.Reader) (*Catalog, error) {
	var f catalogFile
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: the file is empty", ErrInvalidCatalog)
		}
		return nil, fmt.Errorf("%w: decode: %w", ErrInvalidCatalog, err)
	}

	if f.Currency != "" && f.Currency != "USD" {
		return nil, fmt.Errorf("%w: currency %q, only USD is supported", ErrInvalidCatalog, f.Currency)
	}
	for provider, regions := range f.Prices {
		if provider != decision.ProviderAWS && provider != decision.ProviderGCP {
			return nil, fmt.Errorf("%w: provider %q is not one of aws, gcp", ErrInvalidCatalog, provider)
		}
		for region, types := range regions {
			for typ, p := range types {
				if !(p > 0) || math.IsInf(p, 0) {
					return nil, fmt.Errorf("%w: %s %s %s: price %g is not a positive number",
						ErrInvalidCatalog, provider, region, typ, p)
				}
			}
		}
	}

	return &Catalog{taken: f.Taken, prices: f.Prices}, nil
}

// Taken returns when the catalog's prices were taken, as the file states
// it (e.g. "2026-11"); empty when the file does not say.
func (c *Catalog) Taken() string { return c.taken }

// Price returns the on-demand USD price of one instance-hour. The error
// wraps ErrUnknownRegion or ErrUnknownInstanceType and lists what the
// catalog knows instead.
func (c *Catalog) Price(provider, region, instanceType string) (float64, error) {
	types, ok := c.prices[provider][region]
	if !ok {
		return 0, fmt.Errorf("%w: no prices for %s region %q; known %s regions: %s "+
			"(set cost_per_hour on the group or overlay a catalog file)",
			ErrUnknownRegion, provider, region, provider, c.regions(provider))
	}

	p, ok := types[instanceType]
	if !ok {
		return 0, fmt.Errorf("%w: no price for %q in %s %s; known types there: %s "+
			"(set cost_per_hour on the group or overlay a catalog file)",
			ErrUnknownInstanceType, instanceType, provider, region, typesByPrice(types))
	}
	return p, nil
}

// Entries returns every price, sorted by provider, region, price and type.
func (c *Catalog) Entries() []Entry {
	var out []Entry
	for provider, regions := range c.prices {
		for region, types := range regions {
			for typ, p := range types {
				out = append(out, Entry{provider, region, typ, p})
			}
		}
	}
	slices.SortFunc(out, func(a, b Entry) int {
		return cmp.Or(
			cmp.Compare(a.Provider, b.Provider),
			cmp.Compare(a.Region, b.Region),
			cmp.Compare(a.PricePerHour, b.PricePerHour),
			cmp.Compare(a.InstanceType, b.InstanceType),
		)
	})
	return out
}

// Overlay returns a new catalog holding c's prices replaced and extended by
// o's; its Taken is o's when o states one. Neither c nor o is changed.
func (c *Catalog) Overlay(o *Catalog) *Catalog {
	out := &Catalog{taken: cmp.Or(o.taken, c.taken), prices: map[string]map[string]map[string]float64{}}
	for _, src := range []*Catalog{c, o} {
		for provider, regions := range src.prices {
			if out.prices[provider] == nil {
				out.prices[provider] = map[string]map[string]float64{}
			}
			for region, types := range regions {
				if out.prices[provider][region] == nil {
					out.prices[provider][region] = map[string]float64{}
				}
				maps.Copy(out.prices[provider][region], types)
			}
		}
	}
	return out
}

func (c *Catalog) regions(provider string) string {
	names := slices.Sorted(maps.Keys(c.prices[provider]))
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// typesByPrice lists instance types cheapest first, which reads as sizes
// in order (t3.micro, t3.small, ...) rather than alphabetically.
func typesByPrice(types map[string]float64) string {
	names := slices.SortedFunc(maps.Keys(types), func(a, b string) int {
		return cmp.Or(cmp.Compare(types[a], types[b]), cmp.Compare(a, b))
	})
	return strings.Join(names, ", ")
}
