package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

// TestListPlans holds the list queries to plans that stream in seq order:
// a filter on index codes starts from the FTS5 terms (which yield row ids
// in order from the cursor on) and no filter makes SQLite collect and
// sort the matches first, which on a large store would read every match
// for each page.
func TestListPlans(t *testing.T) {
	s := testenv.SQLiteStore(t)
	ctx := context.Background()
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, q := range []store.Query{
		{},
		{After: 10},
		{Type: "CertificateOfOrigin", After: 10},
		{Issuer: "did:web:a.example"},
		{HSCode: "7213"},
		{HSCode: "72132"},
		{Country: "MX", After: 10},
		{HSCode: "721320", Country: "MX", Type: "CertificateOfOrigin", State: store.StatePending, From: from},
	} {
		plan, err := s.ExplainList(ctx, q)
		if err != nil {
			t.Fatalf("ExplainList(%+v): %v", q, err)
		}
		text := strings.Join(plan, "\n")
		if strings.Contains(text, "TEMP B-TREE") {
			t.Errorf("List(%+v) sorts its matches:\n%s", q, text)
		}
		if codes := q.HSCode != "" || q.Country != ""; codes != strings.HasPrefix(plan[0], "SCAN record_terms VIRTUAL TABLE") {
			t.Errorf("List(%+v) does not start from the index terms exactly when it filters on codes:\n%s", q, text)
		}
	}
}
