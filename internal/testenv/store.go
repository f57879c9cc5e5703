package testenv

import (
	"context"
	"os"
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

// PostgresDSN is the PostgreSQL database tests use: the local test
// database, or LEDGERGATE_TEST_POSTGRES.
func PostgresDSN() string {
	if d := os.Getenv("LEDGERGATE_TEST_POSTGRES"); d != "" {
		return d
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}
