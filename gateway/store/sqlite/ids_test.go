package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/gateway/store/sqlite"
	"github.com/ledgergate/ledgergate/gateway/store/sqlstore"
	"github.com/ledgergate/ledgergate/internal/testenv"
	"github.com/ledgergate/ledgergate/schema"
)

func idVersion(id string, n int, supersedes schema.Digest) store.Version {
	body := fmt.Sprintf(`{"id":%q,"n":%d}`, id, n)
	return store.Version{
		RecordID: id, Digest: schema.DigestOf([]byte(body)), Type: "SensorReading", SchemaVersion: "1.0",
		Issuer: "did:web:partner-a.example", Partner: "partner-a", Supersedes: supersedes,
		Canonical: []byte(body), IssuedAt: time.Date(2026, 7, 4, 15, 0, 0, 0, time.UTC),
	}
}

func acceptID(t testing.TB, s *sqlstore.Store, v store.Version) (store.AcceptResult, error) {
	t.Helper()
	return s.Accept(context.Background(), v, []store.NewDelivery{{Ledger: "chain"}}, store.AuditEntry{Actor: "partner-a", Action: "record.accepted"})
}

// Record ids stay unique across a restart: the store that opens the file
// again finds the ids stored before (its filter of stored ids is built
// from the file), so a replay is the stored version and another version
// that does not supersede it is a conflict, not a second record.
func TestRecordIDsStayUniqueAcrossReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledgergate.db")
	ctx := context.Background()
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 50 {
		id := fmt.Sprintf("urn:example:record:%d", i)
		if _, err := acceptID(t, s, idVersion(id, 0, "")); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, id := range ids {
		res, err := acceptID(t, s, idVersion(id, 0, ""))
		if err != nil || !res.Existing {
			t.Fatalf("replay of %s after reopening: %+v, %v; want the stored version", id, res, err)
		}
		if _, err := acceptID(t, s, idVersion(id, 1, "")); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("another version of %s after reopening: %v; want a conflict", id, err)
		}
	}
	if err := s.CheckIntegrity(ctx); err != nil {
		t.Fatal(err)
	}
}

// The integrity check finds a record id held by two records, which no
// unique index refuses on SQLite.
func TestIntegrityFindsASharedRecordID(t *testing.T) {
	s := testenv.SQLiteStore(t)
	v := idVersion("urn:example:shared", 0, "")
	if _, err := acceptID(t, s, v); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.CheckIntegrity(ctx); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO records (rid, record_id, head_seq) SELECT rid + 1, record_id, head_seq FROM records`,
		`INSERT INTO record_ids (rowid, id) SELECT rid, 'i' || hex(record_id) FROM records WHERE rid = 2`,
	} {
		if _, err := s.DB().ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	err := s.CheckIntegrity(ctx)
	if !errors.Is(err, sqlstore.ErrIntegrity) || !strings.Contains(err.Error(), "sharing it") {
		t.Fatalf("CheckIntegrity = %v; want the shared record id reported", err)
	}
}

// One store at a time accepts records into a file: a second store on it
// reads, but its accepts are refused while the first holds the file. Once
// the first is closed the second accepts, and knows every id the first
// stored meanwhile (its filter of stored ids is built when it takes the
// file over), so a replay is the stored version, not a second record.
func TestOneStoreAtATimeAcceptsIntoAFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledgergate.db")
	ctx := context.Background()
	first, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	second, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatalf("a second store on the file: %v", err)
	}
	defer second.Close()
	v := idVersion("urn:example:first", 0, "")
	if _, err := acceptID(t, first, v); err != nil {
		t.Fatal(err)
	}
	if _, err := acceptID(t, second, idVersion("urn:example:second", 0, "")); !errors.Is(err, sqlite.ErrLocked) {
		t.Fatalf("an accept by the second store while the first accepts = %v; want ErrLocked", err)
	}
	if d, err := second.Record(ctx, v.RecordID); err != nil || d.Current.Digest != v.Digest {
		t.Fatalf("the second store reads %+v, %v", d, err)
	}
	late := idVersion("urn:example:late", 0, "")
	if _, err := acceptID(t, first, late); err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	for _, x := range []store.Version{v, late} {
		res, err := acceptID(t, second, x)
		if err != nil || !res.Existing {
			t.Fatalf("replay of %s through the second store once the first closed: %+v, %v; want the stored version", x.RecordID, res, err)
		}
	}
	if _, err := acceptID(t, second, idVersion("urn:example:second", 0, "")); err != nil {
		t.Fatalf("a new record through the second store: %v", err)
	}
	if err := second.CheckIntegrity(ctx); err != nil {
		t.Fatal(err)
	}
}

// Ids of any characters are found again, by reads (the SQL side of the
// id index) and by a replay (the writer's side).
func TestUnusualRecordIDsAreFound(t *testing.T) {
	s := testenv.SQLiteStore(t)
	ctx := context.Background()
	ids := []string{"urn:example:café-ü", "urn:example:with space", `urn:example:"quoted" OR NEAR(a b)`, "urn:example:日本", "i", "x*"}
	for _, id := range ids {
		if _, err := acceptID(t, s, idVersion(id, 0, "")); err != nil {
			t.Fatalf("accept %q: %v", id, err)
		}
	}
	for _, id := range ids {
		if d, err := s.Record(ctx, id); err != nil || d.Current.RecordID != id {
			t.Fatalf("Record(%q) = %+v, %v", id, d.Current, err)
		}
		if res, err := acceptID(t, s, idVersion(id, 0, "")); err != nil || !res.Existing {
			t.Fatalf("replay of %q: %+v, %v; want the stored version", id, res, err)
		}
	}
	if _, err := s.Record(ctx, ""); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Record(\"\") = %v, want ErrNotFound", err)
	}
	if err := s.CheckIntegrity(ctx); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkMigrateRecordIDs measures the first start of this build on a
// store at version 9 holding a million records with random ids, filled by
// SQL (migration 10 indexes the ids in FTS5 and rebuilds records), and
// then the first accept, which builds the filter of the stored ids. Run
// it once: -bench MigrateRecordIDs -benchtime 1x.
func BenchmarkMigrateRecordIDs(b *testing.B) {
	const n = 1_000_000
	const someID = "urn:example:known"
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		path := storeAt(b, 9,
			`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < `+strconv.Itoa(n)+`)
			 INSERT INTO records (rid, record_id, head_seq) SELECT i, 'urn:uuid:' || lower(hex(randomblob(16))), i FROM c`,
			`UPDATE records SET record_id = '`+someID+`' WHERE rid = 4242`,
			`INSERT INTO versions (seq, rid, record_id, digest, type, schema_version, issuer, partner, supersedes, canonical, issued_at, accepted_at)
			 SELECT rid, rid, record_id, 'sha256:' || hex(randomblob(32)), 'CertificateOfOrigin', '1.0', 'did:web:a.example', 'a', '', '{}', 0, 0 FROM records`,
		)
		b.StartTimer()
		start := time.Now()
		s, err := sqlite.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		migrated := time.Since(start)
		if _, err := acceptID(b, s, idVersion("urn:example:first-after-upgrade", 0, "")); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		b.ReportMetric(migrated.Seconds(), "migrate-s")
		b.ReportMetric(time.Since(start).Seconds()-migrated.Seconds(), "first-accept-s")
		if d, err := s.Record(ctx, someID); err != nil || d.Current.RecordID != someID {
			b.Fatalf("after migrating, Record(%s) = %v", someID, err)
		}
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(n, "records")
}
