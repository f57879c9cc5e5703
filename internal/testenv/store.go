package testenv

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
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

// PostgresSchema creates a fresh schema in the test database for one test
// and returns a DSN that uses it (search_path), dropping it when t ends.
// Without PostgreSQL the test is skipped, or fails in CI (Need).
func PostgresSchema(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	admin, err := sql.Open("pgx", PostgresDSN())
	if err == nil {
		err = admin.PingContext(ctx)
	}
	Need(t, "PostgreSQL at "+PostgresDSN(), err)
	var b [6]byte
	_, _ = rand.Read(b[:])
	schemaName := "lgtest_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schemaName); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec("DROP SCHEMA " + schemaName + " CASCADE")
		admin.Close()
	})
	return PostgresDSN() + "&search_path=" + schemaName
}
