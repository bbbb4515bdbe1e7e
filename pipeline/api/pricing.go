package api

import (
	"net/http"
)

// PriceEntry is one price of the catalog.
type PriceEntry struct {
	Provider     string  `json:"provider"`
	Region       string  `json:"region"`
	InstanceType string  `json:"instance_type"`
	PricePerHour float64 `json:"price_per_hour"`
}

// Pricing answers GET /v1/pricing.
type Pricing struct {
	Taken    string       `json:"taken"`
	Currency string       `json:"currency"`
	Entries  []PriceEntry `json:"entries"`
}

// pricing answers the catalog's entries, filtered by the provider, region
// and type query parameters when given (exact match).
func (s *Server) pricing(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	provider, region, typ := q.Get("provider"), q.Get("region"), q.Get("type")

	out := Pricing{Taken: s.deps.Catalog.Taken(), Currency: "USD", Entries: []PriceEntry{}}
	for _, e := range s.deps.Catalog.Entries() {
		if (provider != "" && e.Provider != provider) || (region != "" && e.Region != region) ||
			(typ != "" && e.InstanceType != typ) {
			continue
		}
		out.Entries = append(out.Entries, PriceEntry{e.Provider, e.Region, e.InstanceType, e.PricePerHour})
	}
	writeJSON(w, http.StatusOK, out)
}
