package app

import (
	"context"

	"github.com/scalora/scalora/pipeline/store"
	"github.com/scalora/scalora/pipeline/store/backend"
	"github.com/scalora/scalora/pipeline/store/chdbstore"
	"github.com/scalora/scalora/pipeline/store/chstore"
)

// openStore opens the configured backend (pinged, not yet migrated).
func openStore(ctx context.Context, c StoreConfig) (store.Store, error) {
	return backend.Open(ctx, backend.Config{
		Backend: c.Backend,
		CHDB:    chdbstore.Config{Path: c.Path, Database: c.Database},
		ClickHouse: chstore.Config{
			Addr: c.Addr, Database: c.Database,
			Username: c.Username, Password: c.Password, TLS: c.TLS,
		},
	})
}
