package postgres_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/gateway/store/postgres"
	"github.com/ledgergate/ledgergate/gateway/store/sqlstore"
	"github.com/ledgergate/ledgergate/gateway/store/storetest"
	"github.com/ledgergate/ledgergate/internal/testenv"
)

// dsn is the test database; LEDGERGATE_TEST_POSTGRES overrides it.
func dsn() string {
	if d := os.Getenv("LEDGERGATE_TEST_POSTGRES"); d != "" {
		return d
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// isolated creates a fresh schema for one test and returns a DSN that uses
// it, dropping it afterwards.
func isolated(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	admin, err := sql.Open("pgx", dsn())
	if err == nil {
		err = admin.PingContext(ctx)
	}
	testenv.Need(t, "PostgreSQL at "+dsn(), err)
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
	return dsn() + "&search_path=" + schemaName
}

func TestStore(t *testing.T) {
	storetest.Run(t, storetest.Harness{Open: func(t *testing.T) (store.Store, func() (store.Store, error)) {
		d := isolated(t)
		open := func() (store.Store, error) { return postgres.Open(context.Background(), d) }
		s, err := open()
		if err != nil {
			t.Fatal(err)
		}
		return s, open
	}})
}

func TestUpgradeFromVersion3(t *testing.T) {
	d := isolated(t)
	db, err := sql.Open("pgx", d)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.Upgrade(t, db, postgres.Dialect, func() (store.Store, error) { return postgres.Open(context.Background(), d) })
}

// openIsolated opens a store in a fresh schema (isolated) and closes it
// when t ends.
func openIsolated(t testing.TB) *sqlstore.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), isolated(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func BenchmarkAccept(b *testing.B) {
	storetest.BenchmarkAccept(b, openIsolated(b))
}

func TestIntegrity(t *testing.T) {
	storetest.Integrity(t, openIsolated(t))
}

func BenchmarkList(b *testing.B) {
	storetest.BenchmarkList(b, openIsolated(b), 200_000)
}
