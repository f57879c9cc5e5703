package sqlite

import (
	"context"
	"path/filepath"
	"testing"
)

// TestScratchPool checks that SQLite took the scratch pool (scratch.go):
// each connection keeps two page-sized buffers, which come from it, and
// splitting B-tree pages takes more of them for a moment.
func TestScratchPool(t *testing.T) {
	if scratchPool != nil {
		t.Fatal(scratchPool)
	}
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "scratch.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Enough rows to split pages of a fresh table many times over.
	tx, err := s.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE scratch_test (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID`); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
		INSERT INTO scratch_test SELECT hex(randomblob(16)), randomblob(200) FROM n`); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	cur, high := scratchInUse()
	if cur < 2 || high <= cur {
		t.Fatalf("scratch pool slots in use: %d now, %d at most; want the connection's two and more during page splits", cur, high)
	}
}
