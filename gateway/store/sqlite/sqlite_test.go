package sqlite_test

import (
	"context"
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
