package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/gateway/store/sqlite"
	"github.com/ledgergate/ledgergate/gateway/store/sqlstore"
	"github.com/ledgergate/ledgergate/gateway/store/storetest"
	"github.com/ledgergate/ledgergate/internal/testenv"
	"github.com/ledgergate/ledgergate/schema"
)

// TestCheckpointPages checks that the writer checkpoints after the
// configured number of WAL pages, DefaultCheckpointPages unless told.
func TestCheckpointPages(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		opts []sqlite.Option
		want int
	}{
		{nil, sqlite.DefaultCheckpointPages},
		{[]sqlite.Option{sqlite.WithCheckpointPages(1000)}, 1000},
		{[]sqlite.Option{sqlite.WithCheckpointPages(0)}, sqlite.DefaultCheckpointPages},
	} {
		s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "ledgergate.db"), c.opts...)
		if err != nil {
			t.Fatal(err)
		}
		var got int
		err = s.DB().QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&got)
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("wal_autocheckpoint = %d, want %d", got, c.want)
		}
	}
}

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

// TestBodiesCompressed checks that a compressible record body is stored
// in fewer bytes than it has (sqlstore/body.go) and reads back whole.
func TestBodiesCompressed(t *testing.T) {
	s := testenv.SQLiteStore(t)
	ctx := context.Background()
	body := `{"lines":[` + strings.Repeat(`{"hsCode":"721320","originCountry":"MX"},`, 50) + `{}]}`
	v := store.Version{RecordID: "urn:uuid:6f1c2d3e-0000-4000-8000-000000000001", Digest: schema.DigestOf([]byte(body)), Type: "CommercialInvoice",
		SchemaVersion: "1.0", Issuer: "did:web:a.example", Partner: "a", Canonical: []byte(body), IssuedAt: time.Now()}
	if _, err := s.Accept(ctx, v, nil, store.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	var stored int
	if err := s.DB().QueryRowContext(ctx, `SELECT length(canonical) FROM versions`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored*2 > len(body) {
		t.Fatalf("a %d-byte body is stored in %d bytes", len(body), stored)
	}
	got, err := s.Version(ctx, v.RecordID, v.Digest)
	if err != nil || string(got.Canonical) != body {
		t.Fatalf("read back: %v, %q", err, got.Canonical)
	}
}

// TestNewerSchemaRefused checks that a database some later build has
// migrated further is refused rather than misread.
func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledgergate.db")
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	known, err := s.SchemaVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from_the_future.sql', 0)`, known+1); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = sqlite.Open(context.Background(), path)
	if !errors.Is(err, sqlstore.ErrNewerSchema) {
		t.Fatalf("opening a database at version %d: %v, want ErrNewerSchema", known+1, err)
	}
}

func BenchmarkList(b *testing.B) {
	storetest.BenchmarkList(b, testenv.SQLiteStore(b), 200_000)
}

// BenchmarkRecord: reads by record id on a store of 200,000 records.
func BenchmarkRecord(b *testing.B) {
	storetest.BenchmarkRecord(b, testenv.SQLiteStore(b), 200_000)
}

// BenchmarkClaim: a claim of 64 behind a backlog of 100,000 pending
// deliveries (filling it takes ~15 s).
func BenchmarkClaim(b *testing.B) {
	storetest.BenchmarkClaim(b, testenv.SQLiteStore(b), 100_000)
}

// storeAt returns the path of a new SQLite file migrated to version and
// filled by the statements fill (for the migration benchmarks).
func storeAt(tb testing.TB, version int, fill ...string) string {
	tb.Helper()
	ctx := context.Background()
	path := filepath.Join(tb.TempDir(), "v"+strconv.Itoa(version)+".db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	if err := sqlstore.MigrateTo(ctx, db, sqlite.Dialect, version); err != nil {
		tb.Fatal(err)
	}
	for _, q := range fill {
		if _, err := db.ExecContext(ctx, q); err != nil {
			tb.Fatal(err)
		}
	}
	return path
}

// BenchmarkMigrateCodes measures the first start of this build on a store
// at version 6 holding n versions with four index codes each (two HS
// codes, two countries), filled by SQL: migration 7 rewrites the codes
// into FTS5 terms. Run it once: -bench MigrateCodes -benchtime 1x
// (filling a million versions takes a minute or more).
func BenchmarkMigrateCodes(b *testing.B) {
	const n = 1_000_000
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		path := storeAt(b, 6,
			`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < `+strconv.Itoa(n)+`)
			 INSERT INTO records (rid, record_id, head_seq) SELECT i, 'urn:uuid:' || hex(randomblob(16)), i FROM c`,
			`INSERT INTO versions (seq, rid, record_id, digest, type, schema_version, issuer, partner, supersedes, canonical, issued_at, accepted_at)
			 SELECT rid, rid, record_id, 'sha256:' || hex(randomblob(32)), 'CertificateOfOrigin', '1.0', 'did:web:a.example', 'a', '', '{}', 0, 0 FROM records`,
			`INSERT OR IGNORE INTO record_codes (seq, kind, code) SELECT seq, 'hs', printf('%02d%04d', 1 + abs(random()) % 97, abs(random()) % 10000) FROM versions`,
			`INSERT OR IGNORE INTO record_codes (seq, kind, code) SELECT seq, 'hs', printf('%02d%08d', 1 + abs(random()) % 97, abs(random()) % 100000000) FROM versions`,
			`INSERT OR IGNORE INTO record_codes (seq, kind, code) SELECT seq, 'country', char(65 + abs(random()) % 26, 65 + abs(random()) % 26) FROM versions`,
			`INSERT OR IGNORE INTO record_codes (seq, kind, code) SELECT seq, 'country', char(65 + abs(random()) % 26, 65 + abs(random()) % 26) FROM versions`,
		)
		b.StartTimer()
		s, err := sqlite.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if p, err := s.List(ctx, store.Query{HSCode: "0510"}); err != nil || len(p.Items) == 0 {
			b.Fatalf("after migrating, the heading 0510 lists %d versions: %v", len(p.Items), err)
		}
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(n, "versions")
}

// TestWriterUsage checks the writer's accounting: every accept is counted
// once, in some batch, and the batches took time and, only while
// measuring is on (and on Linux, where a thread's CPU time can be read),
// CPU.
func TestWriterUsage(t *testing.T) {
	s := testenv.SQLiteStore(t)
	// One at a time: each accept is counted by the time it returns.
	for i := range 20 {
		accept(t, s, "one"+strconv.Itoa(i)+"-", 1)
		if u := s.WriterUsage(); u.Requests != int64(i+1) || u.Batches != int64(i+1) {
			t.Fatalf("after accept %d returned, the writer counted %d requests in %d batches", i+1, u.Requests, u.Batches)
		}
	}
	accept(t, s, "off", 50)
	if u := s.WriterUsage(); u.Requests != 70 || u.Busy <= 0 || u.CPU != 0 {
		t.Errorf("not measuring CPU: %+v; want 70 requests, some busy time and no CPU", u)
	}
	s.MeasureWriterCPU(true)
	before := s.WriterUsage()
	const n = 300
	accept(t, s, "on", n)
	u := s.WriterUsage()
	if got := u.Requests - before.Requests; got != n {
		t.Errorf("writer counted %d requests, want %d", got, n)
	}
	if b := u.Batches - before.Batches; b < 1 || b > n {
		t.Errorf("writer ran %d batches for %d accepts", b, n)
	}
	if u.Busy <= before.Busy {
		t.Errorf("writer busy time did not grow: %v -> %v", before.Busy, u.Busy)
	}
	if runtime.GOOS == "linux" && u.CPU <= before.CPU {
		t.Errorf("writer CPU time did not grow: %v -> %v", before.CPU, u.CPU)
	}
}

// accept accepts n new records at once.
func accept(t *testing.T, s store.Store, prefix string, n int) {
	t.Helper()
	ctx := context.Background()
	errs := make(chan error, n)
	for i := range n {
		go func() {
			id := "urn:uuid:writer-usage-" + prefix + strconv.Itoa(i)
			body := []byte(`{"id":"` + id + `"}`)
			_, err := s.Accept(ctx, store.Version{RecordID: id, Digest: schema.DigestOf(body), Type: schema.TypeCommercialInvoice, SchemaVersion: "1.0",
				Issuer: "did:web:a.example", Partner: "a", Canonical: body, IssuedAt: time.Now()}, nil, store.AuditEntry{Actor: "a", Action: "record.accepted"})
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
