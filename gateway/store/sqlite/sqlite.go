// Package sqlite opens the embedded default store: one SQLite file,
// through the pure-Go modernc.org/sqlite driver (no cgo).
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"

	"github.com/ledgergate/ledgergate/gateway/store/sqlstore"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// pageSize is the page size of new store files. A version row with its
// canonical record (2-3 KB) fills a 4 KiB page alone, so every accepted
// record added a page to the WAL at commit and again at checkpoint, each
// frame two write calls and each checkpointed page a read and a write:
// 8 KiB pages hold three such rows, and cut the WAL and checkpoint system
// calls per record by more than half (docs/performance.md).
const pageSize = 8192

// create makes a new store file with pageSize pages in WAL mode. A page
// size only takes effect when a database is created, and not at all once
// it is in WAL mode, which the main connection sets first (the driver
// applies its _pragma parameters in alphabetical order). An existing file
// keeps its page size.
func create(ctx context.Context, path string) error {
	if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
		return nil
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma="+url.QueryEscape(fmt.Sprintf("page_size(%d)", pageSize)))
	if err != nil {
		return err
	}
	defer db.Close()
	var mode string
	return db.QueryRowContext(ctx, `PRAGMA journal_mode=WAL`).Scan(&mode)
}

// Dialect is SQLite's sqlstore dialect.
var Dialect = sqlstore.Dialect{
	Name:         "sqlite",
	InsertOrFail: true,
	Retryable: func(err error) bool {
		s := err.Error()
		return strings.Contains(s, "SQLITE_BUSY") || strings.Contains(s, "database is locked")
	},
}

// Open opens (creating if needed) the store in the SQLite file at path and
// migrates it. WAL journaling lets readers run beside the single writer;
// writes take the write lock at BEGIN (no upgrade deadlocks) and wait up
// to 10 s for it. synchronous=FULL syncs the WAL at every commit, so an
// accepted record survives a power loss, not only a crash of the process
// (NORMAL would let the last commits roll back); group commit shares one
// sync among the records of a batch, and the steady syncing also keeps
// checkpoints short, which lowers tail latency (docs/performance.md).
//
// Foreign keys are declared but not enforced here: enforcing them makes
// SQLite keep a statement journal (a copy of every page a statement
// touches) for each insert, a sixth of the cost of accepting a record. The
// store assigns every key itself inside the one writing transaction (and
// PostgreSQL does not enforce them either, since store version 5);
// Store.CheckIntegrity verifies the relations, and the shared store tests
// run it after every test.
func Open(ctx context.Context, path string) (*sqlstore.Store, error) {
	if err := create(ctx, path); err != nil {
		return nil, fmt.Errorf("sqlite: create %s: %w", path, err)
	}
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(FULL)", "cache_size(-65536)", "wal_autocheckpoint(8192)", "temp_store(MEMORY)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// SQLite has one writer at a time. Queue for it in Go rather than in
	// SQLite's busy handler, which sleeps and retries: a single connection
	// serialises work without those sleeps (WAL keeps reads cheap).
	db.SetMaxOpenConns(1)
	pinBindPages()
	s, err := sqlstore.New(ctx, db, Dialect)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	return s, nil
}
