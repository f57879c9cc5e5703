package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/gateway/store/sqlite"
	"github.com/ledgergate/ledgergate/gateway/store/storetest"
	"github.com/ledgergate/ledgergate/internal/testenv"
)

func TestStore(t *testing.T) {
	storetest.Run(t, storetest.Harness{Open: func(t *testing.T) (store.Store, func() (store.Store, error)) {
		path := filepath.Join(t.TempDir(), "ledgergate.db")
		open := func() (store.Store, error) { return sqlite.Open(context.Background(), path) }
		s, err := open()
		if err != nil {
			t.Fatal(err)
		}
		return s, open
	}})
}

func BenchmarkAccept(b *testing.B) {
	storetest.BenchmarkAccept(b, testenv.SQLiteStore(b))
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

func TestIntegrity(t *testing.T) {
	storetest.Integrity(t, testenv.SQLiteStore(t))
}
