// Package sqlstore implements store.Store on database/sql for SQLite and
// PostgreSQL; the dialect differences are confined to Dialect.
package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ledgergate/ledgergate/gateway/store"
)

//go:embed migrations
var migrationsFS embed.FS

// Dialect describes one SQL database.
type Dialect struct {
	Name string // "sqlite" or "postgres": also the migrations folder
	// Numbered is true for $1-style placeholders, false for ?.
	Numbered bool
	// SkipLocked is appended to the claim subquery (Postgres: FOR UPDATE
	// SKIP LOCKED; SQLite serialises writers and needs none).
	SkipLocked string
	// WriterLock, when set, is run first in every accepting transaction
	// and holds a lock until it ends, so gateway instances sharing the
	// database accept one batch at a time: versions then become visible
	// in seq order, which the readers that page by seq (List cursors, the
	// incremental reconciliation cursor) rely on. SQLite's single writer
	// needs none.
	WriterLock string
	// LockedIDs, when set, replaces WriterLock: a query that takes the
	// lock and returns the highest record and version numbers stored
	// (max_rid, max_seq), read after the lock was granted. One round
	// trip instead of two, and a batch of new records goes as one
	// autocommitted statement that holds the lock, the numbers and the
	// inserts (Store.acceptAlone) instead of five round trips.
	LockedIDs string
	// Unnest: bulk inserts pass one array per column to unnest()
	// (PostgreSQL) instead of multi-row VALUES.
	Unnest bool
	// InsertOrFail: multi-row VALUES inserts are written INSERT OR FAIL
	// (SQLite). A failing statement then keeps the rows it inserted
	// before failing instead of undoing them itself, so SQLite need not
	// copy every page it touches into a statement journal first; the
	// transaction, which the store rolls back on any error, is the unit
	// of atomicity.
	InsertOrFail bool
	// GroupWrites: the store's small writing transactions (delivery
	// claims and updates, audit entries) join the accepts' group commit
	// (Store.group) instead of committing alone (one sync per commit:
	// SQLite has one writer, and PostgreSQL's relay updates each waited
	// for their own WAL flush).
	GroupWrites bool
	// Terms: a version's index codes are one row of the FTS5 table
	// record_terms, written by the accept (SQLite, store version 7;
	// terms.go). A dialect sets Terms or DeferredCodes.
	Terms bool
	// DeferredCodes: the accept writes a version's index codes into its
	// row (versions.codes), and an indexer copies them into
	// record_codes in transactions of its own (PostgreSQL, store version
	// 11; codeindex.go).
	DeferredCodes bool
	// PlanEachArg, when set, goes first among a list query's arguments
	// to have the driver send the query as a statement of its own each
	// time, which the database plans for the arguments' values
	// (PostgreSQL through pgx: pgx.QueryExecModeExec). A cached
	// statement's generic plan, which PostgreSQL may choose after five
	// runs, cannot tell a filter that matches a handful of versions from
	// one that matches most of them.
	PlanEachArg any
	// IDTerms: record ids are indexed in the FTS5 table record_ids
	// (SQLite, store version 10; ids.go) instead of a unique B-tree
	// index on records, and the writer keeps a filter of the stored ids
	// to tell new ones apart without a lookup. The database must then be
	// written by this store alone (sqlite.Open locks it).
	IDTerms bool
	// Retryable reports errors after which a transaction is retried
	// (unique violations from concurrent inserts, serialization failures,
	// busy databases).
	Retryable func(error) bool
	// BeforeBatch, when set, is called by the writer goroutine before
	// each batch it runs (batch.go): upkeep the database's client needs
	// right before writing (SQLite's C allocator, sqlite.keepSlack).
	BeforeBatch func()
}

// ErrNewerSchema is wrapped by New and MigrateTo when the database has
// migrations this build does not know: an older gateway would misread
// what a newer one wrote (compressed record bodies since version 8).
var ErrNewerSchema = errors.New("database schema is newer than this build")

// Store is a store.Store over a *sql.DB.
type Store struct {
	db      *sql.DB // writes, and reads inside them
	r       *sql.DB // reads outside a transaction (WithReader; db by default)
	d       Dialect
	now     func() time.Time
	closeMu sync.Mutex
	closed  bool

	queue       chan *acceptReq // group commit (batch.go)
	batcherDone chan struct{}
	pending     sync.WaitGroup // Accept calls in flight
	writer      writerStats    // what the batcher has spent (WriterUsage)

	accept      []rowInsert   // the inserts of accepting a version (acceptInserts)
	inserts     [][]*sql.Stmt // prepared inserts (prepareInserts)
	upserts     []*sql.Stmt   // and the records inserts of new records (insertRecords)
	termsInsert *sql.Stmt     // Dialect.Terms: a wave's index terms (termsInsert)
	idsInsert   *sql.Stmt     // Dialect.IDTerms: new records' ids (idsInsert)
	stmts       prepared      // other prepared statements (prepared.go)
	chunks      [][]int       // their row counts
	ids         *idFilter     // Dialect.IDTerms: the stored record ids, once this store may insert records (ids.go)
	indexer     *codeIndexer  // Dialect.DeferredCodes
	manualCodes bool          // WithManualCodeIndex
	// codesIndexed is the last watermark of the code indexer this store
	// has seen (Dialect.DeferredCodes): the versions up to it have their
	// codes in record_codes.
	codesIndexed atomic.Int64
	lastSeq      atomic.Int64 // the highest seq this store has accepted
	recordsApart int          // waves left that insert records apart (recordsWithWave); the writer goroutine's alone
	acceptLock   func() (func(), error)
	release      func() // of the accept lock, once held
}

var _ store.Store = (*Store)(nil)

// Option configures a Store.
type Option func(*Store)

// WithReader has the store run its reads that are not part of a write
// (records, lists, deliveries, audit, counts...) on r, a pool of
// read-only connections to the same database, instead of db. SQLite's
// store writes through one connection, which a busy writer holds nearly
// all the time; in WAL mode other connections read beside it. The store
// closes r with db.
func WithReader(r *sql.DB) Option { return func(s *Store) { s.r = r } }

// WithManualCodeIndex has a store with Dialect.DeferredCodes index codes
// only when IndexCodes is called, not in the background: for tests that
// list versions on both sides of the indexer's watermark.
func WithManualCodeIndex() Option { return func(s *Store) { s.manualCodes = true } }

// WithAcceptLock has the store take lock before it first inserts records
// (Dialect.IDTerms): the lock keeps any other store from inserting
// records into the database until this one is closed, since each keeps
// the record ids unique through its own filter of the stored ids (built
// once it holds the lock). An error from lock fails those accepts; the
// next accept tries again.
func WithAcceptLock(lock func() (release func(), err error)) Option {
	return func(s *Store) { s.acceptLock = lock }
}

// New migrates db to the latest schema version and returns the store.
func New(ctx context.Context, db *sql.DB, d Dialect, opts ...Option) (*Store, error) {
	if d.Terms == d.DeferredCodes {
		return nil, fmt.Errorf("sqlstore: dialect %s must index codes one way: Terms (FTS5) or DeferredCodes", d.Name)
	}
	s := &Store{db: db, r: db, d: d, now: time.Now, accept: acceptInserts(d)}
	for _, o := range opts {
		o(s)
	}
	if err := s.migrate(ctx); err != nil {
		return nil, err
	}
	if err := s.prepareInserts(ctx); err != nil {
		return nil, err
	}
	if err := s.prepareAll(ctx, []preparedQuery{
		{s.claimQuery(), false}, {updateQuery(true), false}, {updateQuery(false), false}, {renewQuery, false},
		{s.auditInsert(), false}, {auditInsertOfVersion, false},
		{s.versionQuery(), true}, {versionBySeq, true},
	}); err != nil {
		return nil, err
	}
	s.startBatcher()
	if d.DeferredCodes {
		if err := s.loadCodesIndexed(ctx); err != nil {
			return nil, err
		}
		if !s.manualCodes {
			s.startCodeIndexer()
		}
	}
	return s, nil
}

// DB returns the underlying database (for benchmarks and tooling).
func (s *Store) DB() *sql.DB { return s.db }

// Dialect returns the store's SQL dialect.
func (s *Store) Dialect() Dialect { return s.d }

// Close closes the database; it is idempotent.
func (s *Store) Close() error {
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	s.pending.Wait() // no Accept can start now; let those queued finish
	close(s.queue)
	<-s.batcherDone
	s.stopCodeIndexer()
	for _, sts := range append(s.inserts, s.upserts, []*sql.Stmt{s.termsInsert, s.idsInsert}) {
		for _, st := range sts {
			if st != nil {
				st.Close()
			}
		}
	}
	s.stmts.close()
	if s.r != s.db {
		s.r.Close()
	}
	err := s.db.Close()
	if s.release != nil {
		s.release()
	}
	return err
}

// q rewrites ? placeholders for the dialect.
func (s *Store) q(query string) string { return s.d.Rebind(query) }

// Rebind rewrites the ? placeholders of query for the dialect ($1, $2...
// where Numbered).
func (d Dialect) Rebind(query string) string {
	if !d.Numbered {
		return query
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

// migrate applies the embedded migrations not yet recorded in
// schema_migrations, each in its own transaction, in version order.
func (s *Store) migrate(ctx context.Context) error { return s.migrateTo(ctx, 0) }

// MigrateTo applies the migrations up to and including version upTo (0:
// all) to db, without opening a store: for tooling and for tests of
// upgrades from an older schema.
func MigrateTo(ctx context.Context, db *sql.DB, d Dialect, upTo int) error {
	s := &Store{db: db, d: d, now: time.Now}
	return s.migrateTo(ctx, upTo)
}

func (s *Store) migrateTo(ctx context.Context, upTo int) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("sqlstore: migrations table: %w", err)
	}
	dir := "migrations/" + s.d.Name
	entries, err := fs.ReadDir(migrationsFS, dir)
	if err != nil {
		return fmt.Errorf("sqlstore: no migrations for %s: %w", s.d.Name, err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	known, err := migrationVersion(entries[len(entries)-1].Name())
	if err != nil {
		return err
	}
	if have, err := s.SchemaVersion(ctx); err != nil {
		return fmt.Errorf("sqlstore: schema version: %w", err)
	} else if have > known {
		return fmt.Errorf("sqlstore: the database is at schema version %d and this build knows versions up to %d; run a build at least as new as the one that last wrote it: %w", have, known, ErrNewerSchema)
	}
	for _, e := range entries {
		name := e.Name()
		version, err := migrationVersion(name)
		if err != nil {
			return err
		}
		if upTo > 0 && version > upTo {
			break
		}
		body, _ := migrationsFS.ReadFile(dir + "/" + name)
		if err := s.inTx(ctx, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			for _, stmt := range splitStatements(string(body)) {
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
			}
			_, err := tx.ExecContext(ctx, s.q(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`), version, name, s.now().UnixNano())
			return err
		}); err != nil {
			return fmt.Errorf("sqlstore: migrate: %w", err)
		}
	}
	return nil
}

// migrationVersion is the number a migration file's name starts with.
func migrationVersion(name string) (int, error) {
	v, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
	if err != nil {
		return 0, fmt.Errorf("sqlstore: migration %s: name must start with a number", name)
	}
	return v, nil
}

// SchemaVersion returns the highest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v)
	return int(v.Int64), err
}

// splitStatements splits a migration into statements at semicolons, after
// dropping its comment lines (which may contain semicolons), but not at
// those between a pair of $$ (a function's body).
func splitStatements(body string) []string {
	var code []string
	for _, l := range strings.Split(body, "\n") {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "--") {
			code = append(code, l)
		}
	}
	var out []string
	var stmt strings.Builder
	for i, parts := range strings.Split(strings.Join(code, "\n"), "$$") {
		if i > 0 {
			stmt.WriteString("$$")
		}
		if i%2 == 1 { // quoted
			stmt.WriteString(parts)
			continue
		}
		for j, part := range strings.Split(parts, ";") {
			if j > 0 {
				if t := strings.TrimSpace(stmt.String()); t != "" {
					out = append(out, t)
				}
				stmt.Reset()
			}
			stmt.WriteString(part)
		}
	}
	if t := strings.TrimSpace(stmt.String()); t != "" {
		out = append(out, t)
	}
	return out
}

// inTx runs fn in a transaction, retrying a few times on errors the
// dialect says are transient.
func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		var tx *sql.Tx
		tx, err = s.db.BeginTx(ctx, nil)
		if err != nil {
			if s.retryable(err) {
				continue
			}
			return err
		}
		if err = fn(tx); err == nil {
			if err = tx.Commit(); err == nil {
				return nil
			}
		} else {
			_ = tx.Rollback()
		}
		if !s.retryable(err) || ctx.Err() != nil {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * time.Millisecond)
	}
	return err
}

func (s *Store) retryable(err error) bool {
	return err != nil && s.d.Retryable != nil && s.d.Retryable(err) && !errors.Is(err, store.ErrConflict)
}
