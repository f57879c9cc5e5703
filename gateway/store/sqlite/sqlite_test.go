package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/gateway/store/sqlite"
	"github.com/ledgergate/ledgergate/gateway/store/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, storetest.Harness{Open: func(t *testing.T) (store.Store, func() (store.Store, error)) {
		path := filepath.Join(t.TempDir(), "ledgergate.db")
		t.Cleanup(func() { checkForeignKeys(t, path) }) // runs after the test closes the store
		open := func() (store.Store, error) { return sqlite.Open(context.Background(), path) }
		s, err := open()
		if err != nil {
			t.Fatal(err)
		}
		return s, open
	}})
}

// checkForeignKeys fails t if the SQLite file at path holds a row whose
// foreign key points nowhere (the store does not have SQLite enforce
// them; see sqlite.Open).
func checkForeignKeys(t *testing.T, path string) {
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`PRAGMA foreign_key_check`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			t.Fatal(err)
		}
		t.Errorf("foreign key violation: %s row %v points at a missing %s row (constraint %d)", table, rowid, parent, fk)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkAccept(b *testing.B) {
	s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "ledgergate.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchmarkAccept(b, s)
}

func TestUpgradeFromVersion3(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(ON)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.Upgrade(t, db, sqlite.Dialect, func() (store.Store, error) { return sqlite.Open(context.Background(), path) })
}
