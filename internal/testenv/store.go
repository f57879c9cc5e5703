package testenv

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/ledgergate/ledgergate/gateway/store/sqlite"
	"github.com/ledgergate/ledgergate/gateway/store/sqlstore"
)

// SQLiteStore opens an empty SQLite store in a file of t's temporary
// directory and closes it when t ends.
func SQLiteStore(t testing.TB) *sqlstore.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "ledgergate.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
