// Package sqlite opens the embedded default store: one SQLite file,
// through the pure-Go modernc.org/sqlite driver (no cgo).
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/ledgergate/ledgergate/gateway/store/sqlstore"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ErrLocked: another store (in this process or another) accepts records
// into the database file.
var ErrLocked = errors.New("the database is in use by another store")

// Dialect is SQLite's sqlstore dialect.
var Dialect = sqlstore.Dialect{
	Name:         "sqlite",
	InsertOrFail: true,
	Terms:        true,
	IDTerms:      true,
	GroupWrites:  true,
	BeforeBatch:  keepSlack,
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
//
// The options tune the writer (WithCheckpointPages).
func Open(ctx context.Context, path string, opts ...Option) (*sqlstore.Store, error) {
	o := options{checkpointPages: DefaultCheckpointPages}
	for _, opt := range opts {
		opt(&o)
	}
	// SQLite has one writer at a time. Queue for it in Go rather than in
	// SQLite's busy handler, which sleeps and retries: a single writing
	// connection serialises work without those sleeps.
	db, err := open(path, 1, true, writerPragmas(o)...)
	if err != nil {
		return nil, err
	}
	// Reads that are not part of a write run on their own connections,
	// which WAL lets read beside the writer: through the writer's
	// connection they waited for whole accepting batches (the relay
	// finished 86 deliveries a second beside batched ingest).
	r, err := open(path, readers, false, "busy_timeout(10000)", "query_only(1)", "cache_size(-16384)", "temp_store(MEMORY)")
	if err != nil {
		db.Close()
		return nil, err
	}
	// The store keeps record ids unique itself (Dialect.IDTerms), so one
	// store at a time, in any process, accepts records into the file;
	// others (a reconcile run beside a gateway, say) read and write the
	// rest.
	lock := func() (func(), error) { return lockFile(path + ".lock") }
	s, err := sqlstore.New(ctx, db, Dialect, sqlstore.WithReader(r), sqlstore.WithAcceptLock(lock))
	if err != nil {
		r.Close()
		db.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	return s, nil
}

// Option configures Open.
type Option func(*options)

type options struct {
	checkpointPages int
}

// DefaultCheckpointPages is how many pages the write-ahead log takes
// before the writer copies them into the database file (SQLite's
// wal_autocheckpoint): 128 MiB with 4 KiB pages. A page written again
// before the copy is copied once, so a larger window copies less. The
// record-id index is the page most records write, each a page of its
// own once the index outgrows a commit, so the window decides how often
// the same index page is copied: over 40 s of batched ingest (about
// 500,000 records) a 128 MiB window kept 10–16% more records a second
// than the 32 MiB one before it, and the rate fell less as the database
// grew. Each copy takes longer, though: single records at 5,000 a second
// had a p99 latency about 20 ms higher (docs/performance.md, "Session 9").
const DefaultCheckpointPages = 32768

// WithCheckpointPages sets how many pages the write-ahead log takes
// before the writer copies them into the database (n <= 0: the default,
// DefaultCheckpointPages). Smaller windows shorten each copy, which
// lowers tail latency, at a cost to sustained ingest; the log file grows
// to about n pages.
func WithCheckpointPages(n int) Option {
	return func(o *options) {
		if n > 0 {
			o.checkpointPages = n
		}
	}
}

// writerPragmas configure the writing connection (see Open).
func writerPragmas(o options) []string {
	return []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(FULL)", "cache_size(-65536)", fmt.Sprintf("wal_autocheckpoint(%d)", o.checkpointPages), "temp_store(MEMORY)"}
}

// readers bounds the store's read-only connections.
const readers = 4

// open returns a pool of at most conns connections to the database file
// at path with the given pragmas; writer connections take the write lock
// when a transaction begins (no lock upgrades, so no deadlocks).
func open(path string, conns int, writer bool, pragmas ...string) (*sql.DB, error) {
	q := url.Values{}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	if writer {
		q.Set("_txlock", "immediate")
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(conns)
	return db, nil
}
