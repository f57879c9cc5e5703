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
		open := func() (store.Store, error) { return sqlite.Open(context.Background(), path) }
		s, err := open()
		if err != nil {
			t.Fatal(err)
		}
		return s, open
	}})
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

func TestIntegrity(t *testing.T) {
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "ledgergate.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.Integrity(t, s)
}

// TestPageSize checks that a new store file gets 8 KiB pages in WAL mode,
// and that a file created elsewhere with another page size keeps it and
// still opens.
func TestPageSize(t *testing.T) {
	ctx := context.Background()
	pragmas := func(s interface{ DB() *sql.DB }) (size int, mode string) {
		if err := s.DB().QueryRowContext(ctx, `PRAGMA page_size`).Scan(&size); err != nil {
			t.Fatal(err)
		}
		if err := s.DB().QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
			t.Fatal(err)
		}
		return size, mode
	}
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "new.db"))
	if err != nil {
		t.Fatal(err)
	}
	if size, mode := pragmas(s); size != 8192 || mode != "wal" {
		t.Errorf("new store: page_size %d, journal_mode %s; want 8192, wal", size, mode)
	}
	s.Close()

	old := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", "file:"+old)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `PRAGMA page_size=4096; CREATE TABLE scratch (x)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err = sqlite.Open(ctx, old)
	if err != nil {
		t.Fatalf("open a file with 4 KiB pages: %v", err)
	}
	defer s.Close()
	if size, mode := pragmas(s); size != 4096 || mode != "wal" {
		t.Errorf("existing store: page_size %d, journal_mode %s; want 4096 kept, wal", size, mode)
	}
}
