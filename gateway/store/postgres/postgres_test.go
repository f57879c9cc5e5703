package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/gateway/store/postgres"
	"github.com/ledgergate/ledgergate/gateway/store/sqlstore"
	"github.com/ledgergate/ledgergate/gateway/store/storetest"
	"github.com/ledgergate/ledgergate/internal/testenv"
)

// dsn is the test database (testenv.PostgresDSN).
func dsn() string { return testenv.PostgresDSN() }

// isolated creates a fresh schema for one test (testenv.PostgresSchema).
func isolated(t testing.TB) string { return testenv.PostgresSchema(t) }

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

// BenchmarkClaim: a claim of 64 behind a backlog of 100,000 pending
// deliveries.
func BenchmarkClaim(b *testing.B) {
	storetest.BenchmarkClaim(b, openIsolated(b), 100_000)
}

// TestJITOff checks that the store's sessions run without PostgreSQL's
// JIT unless the DSN asks for it.
func TestJITOff(t *testing.T) {
	s := openIsolated(t)
	var jit string
	if err := s.DB().QueryRowContext(context.Background(), `SHOW jit`).Scan(&jit); err != nil || jit != "off" {
		t.Fatalf("jit = %q, %v; want off", jit, err)
	}
}

// TestListPlans holds the code filters of list queries to plans that
// search record_codes by term (a range of the key (term, seq) for an HS
// prefix), never reading every entry for each version (that took 1.5 s a
// page on 20,000 records, as here), and a country filter to the entries
// of its term read in seq order, stopping at the page's end, not all of
// them sorted (95 ms for a first page on 200,000 records: the planner
// took the head check for a filter that passes one version in 200). The
// tables are filled, indexed and analysed.
func TestListPlans(t *testing.T) {
	s := openIsolated(t)
	ctx := context.Background()
	storetest.Fill(t, s, 20_000)
	for {
		if n, err := s.IndexCodes(ctx); err != nil {
			t.Fatal(err)
		} else if n == 0 {
			break
		}
	}
	if _, err := s.DB().ExecContext(ctx, `ANALYZE`); err != nil {
		t.Fatal(err)
	}
	var watermark int64
	if err := s.DB().QueryRowContext(ctx, `SELECT indexed_through FROM code_index`).Scan(&watermark); err != nil {
		t.Fatal(err)
	}
	for _, q := range []store.Query{{HSCode: "0510", Country: "MX"}, {HSCode: "05"}, {HSCode: "051", Country: "US", After: 1000}, {Country: "MX"}, {Country: "US", After: 1000}} {
		plan, err := s.ExplainList(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(plan, "\n")
		// The key (term, seq) must be searched by term, not used to
		// find one version's terms among all.
		searched := false
		for i, line := range plan {
			if !strings.Contains(line, " record_codes_pkey") {
				continue
			}
			for _, next := range plan[i+1:] {
				if strings.Contains(next, "Index Cond:") {
					if !strings.Contains(next, "term") {
						t.Errorf("List(%+v) reads every term:\n%s", q, text)
					}
					searched = true
					break
				}
			}
		}
		if q.HSCode == "" && strings.Contains(text, "Sort  (") {
			t.Errorf("List(%+v) sorts the versions of a country:\n%s", q, text)
		}
		// The versions not indexed yet are read from the watermark on.
		if !searched || !strings.Contains(text, fmt.Sprintf("Index Cond: (seq > '%d'::bigint)", watermark)) {
			t.Errorf("List(%+v) does not search record_codes by code and the versions after the watermark by seq:\n%s", q, text)
		}
	}
}

// TestDeferredCodes: list filters find versions whose codes are indexed
// and versions after the indexer's watermark alike.
func TestDeferredCodes(t *testing.T) {
	s, err := postgres.Open(context.Background(), isolated(t), sqlstore.WithManualCodeIndex())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	storetest.DeferredCodes(t, s)
}

// TestIndexCodesPastStrayEntry: an index entry the indexer has yet to
// write, already in record_codes (a damaged database: nothing the store
// does writes one), fails the pass's first attempt; the retry skips it,
// and the indexer goes on instead of failing at that version for ever.
func TestIndexCodesPastStrayEntry(t *testing.T) {
	ctx := context.Background()
	s, err := postgres.Open(ctx, isolated(t), sqlstore.WithManualCodeIndex())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	storetest.Fill(t, s, 50)
	var seq int64
	var term string
	var terms int
	if err := s.DB().QueryRowContext(ctx, `SELECT seq, codes[1], cardinality(codes) FROM versions WHERE cardinality(codes) > 0 ORDER BY seq DESC LIMIT 1`).Scan(&seq, &term, &terms); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, `INSERT INTO record_codes (seq, term) VALUES ($1, $2)`, seq, term); err != nil {
		t.Fatal(err)
	}
	for {
		n, err := s.IndexCodes(ctx)
		if err != nil {
			t.Fatalf("IndexCodes with an entry of version %d in record_codes already: %v", seq, err)
		}
		if n == 0 {
			break
		}
	}
	var got int
	if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM record_codes WHERE seq = $1`, seq).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != terms {
		t.Fatalf("version %d has %d index entries, want %d", seq, got, terms)
	}
	if err := s.CheckIntegrity(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestAcceptAlone(t *testing.T) {
	storetest.AcceptAlone(t, openIsolated(t))
}

// TestLockedIDsAfterWait: the numbers Dialect.LockedIDs returns are read
// once the lock is granted, so they count an accept that committed while
// the caller waited for it. Read with the snapshot its statement started
// with, they would miss it, and a second gateway instance would number
// its versions after a stale maximum.
func TestLockedIDsAfterWait(t *testing.T) {
	ctx := context.Background()
	db := openIsolated(t).DB()
	holder, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Rollback()
	var rid, seq int64
	if err := holder.QueryRowContext(ctx, postgres.Dialect.LockedIDs).Scan(&rid, &seq); err != nil {
		t.Fatal(err)
	}
	if _, err := holder.ExecContext(ctx, `INSERT INTO records (rid, record_id, head_seq) VALUES ($1, 'urn:uuid:00000000-0000-4000-8000-000000000041', $2)`, rid+41, seq+7); err != nil {
		t.Fatal(err)
	}
	waiter, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer waiter.Close()
	var pid int
	if err := waiter.QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	type ids struct {
		rid, seq int64
		err      error
	}
	got := make(chan ids, 1)
	go func() {
		var r ids
		r.err = waiter.QueryRowContext(ctx, postgres.Dialect.LockedIDs).Scan(&r.rid, &r.seq)
		got <- r
	}()
	// Commit only once the waiter's statement is waiting for the lock
	// (its snapshot taken).
	for waiting := false; !waiting; {
		if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = $1 AND locktype = 'advisory' AND NOT granted)`, pid).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		select {
		case r := <-got:
			t.Fatalf("LockedIDs returned %+v while another transaction held the lock", r)
		default:
		}
	}
	if err := holder.Commit(); err != nil {
		t.Fatal(err)
	}
	r := <-got
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.rid != rid+41 {
		t.Fatalf("LockedIDs after waiting for the lock: highest rid %d, want %d (the record the holder committed meanwhile)", r.rid, rid+41)
	}
}
