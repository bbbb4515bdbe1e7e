package app

import (
	"context"

	"github.com/scalora/scalora/pipeline/store"
	"github.com/scalora/scalora/pipeline/store/backend"
	"github.com/scalora/scalora/pipeline/store/chdbstore"
	"github.com/scalora/scalora/pipeline/store/chstore"
)

// OpenStore opens the configured store backend, neither pinged nor
// migrated; the commands that read the store use it too, so they see what
// the pipeline writes.
func OpenStore(ctx context.Context, c StoreConfig) (store.Store, error) {
	return backend.Open(ctx, backend.Config{
		Backend: c.Backend,
		CHDB:    chdbstore.Config{Path: c.Path, Database: c.Database},
		ClickHouse: chstore.Config{
			Addr: c.Addr, Database: c.Database,
			Username: c.Username, Password: c.Password, TLS: c.TLS,
		},
	})
}
