package integration

import (
	"testing"

	"github.com/scalora/scalora/pipeline/store/libchdb"
)

// requireCHDB skips the test when libchdb cannot be loaded, or fails it
// when integration is required.
func requireCHDB(t *testing.T) {
	t.Helper()

	if err := libchdb.Available(); err != nil {
		unavailable(t, "libchdb", err, "install it with deploy/setup-chdb.sh and set CHDB_LIB_PATH")
	}
}
