package storetest

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/gateway/store/sqlstore"
)

// Upgrade checks that a store holding data at schema version 3 (before
// records got their surrogate key) keeps all of it through the later
// migrations: db must be empty; open opens the store on it (migrating).
func Upgrade(t *testing.T, db *sql.DB, d sqlstore.Dialect, open func() (store.Store, error)) {
	ctx := context.Background()
	if err := sqlstore.MigrateTo(ctx, db, d, 3); err != nil {
		t.Fatal(err)
	}
	ns := func(min int) int64 { return time.Date(2026, 7, 4, 15, min, 0, 0, time.UTC).UnixNano() }
	a1, a2, b1 := versionOf("urn:uuid:aaaaaaaa-0000-4000-8000-000000000001", 1, ""), versionOf("urn:uuid:aaaaaaaa-0000-4000-8000-000000000001", 2, ""), versionOf("urn:uuid:bbbbbbbb-0000-4000-8000-000000000002", 1, "")
	a2.Supersedes = a1.Digest
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, d.Rebind(q), args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	// Version 3 rows: A has two versions (A2 current), B one; A1 is
	// confirmed on "chain", A2 and B pending; audit for A and one entry
	// about no record.
	for i, v := range []store.Version{a1, b1, a2} {
		exec(`INSERT INTO versions (seq, record_id, digest, type, schema_version, issuer, partner, supersedes, canonical, issued_at, accepted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			i+1, v.RecordID, string(v.Digest), v.Type, v.SchemaVersion, v.Issuer, v.Partner, string(v.Supersedes), v.Canonical, v.IssuedAt.UnixNano(), ns(i))
	}
	exec(`INSERT INTO heads (record_id, seq) VALUES (?, 3), (?, 2)`, a1.RecordID, b1.RecordID)
	exec(`INSERT INTO record_codes (seq, kind, code) VALUES (1, 'hs', '721320'), (2, 'country', 'MX'), (3, 'hs', '721320')`)
	for _, r := range []struct {
		v     store.Version
		state string
	}{{a1, store.StateConfirmed}, {a2, store.StatePending}, {b1, store.StatePending}} {
		exec(`INSERT INTO deliveries (record_id, digest, ledger, policy, state, attempts, next_at, updated_at) VALUES (?, ?, 'chain', '{"disclosure":"digest"}', ?, 0, ?, ?)`,
			r.v.RecordID, string(r.v.Digest), r.state, ns(0), ns(0))
	}
	exec(`INSERT INTO audit (time, actor, action, record_id, detail) VALUES (?, 'partner-a', 'record.accepted', ?, ''), (?, 'admin', 'key.created', '', ''), (?, 'relay', 'delivery.confirmed', ?, 'chain')`,
		ns(0), a1.RecordID, ns(1), ns(2), a1.RecordID)

	s, err := open()
	if err != nil {
		t.Fatalf("migrating from version 3: %v", err)
	}
	defer s.Close()
	rec, err := s.Record(ctx, a1.RecordID)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.History) != 2 || rec.Current.Digest != a2.Digest || rec.Current.Seq != 3 || string(rec.Current.Canonical) != string(a2.Canonical) {
		t.Fatalf("record A after the upgrade: %+v", rec)
	}
	if len(rec.Deliveries) != 2 || rec.Deliveries[0].Digest != a1.Digest || rec.Deliveries[0].State != store.StateConfirmed || rec.Deliveries[1].State != store.StatePending {
		t.Fatalf("A's deliveries after the upgrade: %+v", rec.Deliveries)
	}
	if ds, err := s.Deliveries(ctx, b1.RecordID, b1.Digest); err != nil || len(ds) != 1 || ds[0].Ledger != "chain" {
		t.Fatalf("B's deliveries: %v %+v", err, ds)
	}
	page, err := s.List(ctx, store.Query{State: store.StatePending})
	if err != nil || len(page.Items) != 2 || page.Items[0].RecordID != b1.RecordID || page.Items[1].RecordID != a1.RecordID {
		t.Fatalf("pending list after the upgrade: %v %+v", err, page.Items)
	}
	if page, err := s.List(ctx, store.Query{Country: "MX"}); err != nil || len(page.Items) != 1 || page.Items[0].RecordID != b1.RecordID {
		t.Fatalf("country filter after the upgrade: %v %+v", err, page.Items)
	}
	for _, hs := range []string{"72", "7213", "721320", "72132"} { // A's current version only (A1 is superseded)
		if page, err := s.List(ctx, store.Query{HSCode: hs}); err != nil || len(page.Items) != 1 || page.Items[0].Digest != a2.Digest {
			t.Fatalf("HS filter %s after the upgrade: %v %+v", hs, err, page.Items)
		}
	}
	log, err := s.AuditLog(ctx, a1.RecordID, 10)
	if err != nil || len(log) != 2 || log[0].Action != "delivery.confirmed" {
		t.Fatalf("A's audit log: %v %+v", err, log)
	}
	if all, err := s.AuditLog(ctx, "", 10); err != nil || len(all) != 3 {
		t.Fatalf("whole audit log: %v %+v", err, all)
	}
	// The outbox goes on: the two pending deliveries can be claimed and
	// finished.
	claimed := claimAll(t, s, "relay-1", time.Minute)
	if len(claimed) != 2 {
		t.Fatalf("claimed %d deliveries after the upgrade, want 2", len(claimed))
	}
	for _, c := range claimed {
		c.State = store.StateConfirmed
		if err := s.Update(ctx, "relay-1", c); err != nil {
			t.Fatal(err)
		}
	}
	// New versions and records continue the sequence.
	b2 := versionOf(b1.RecordID, 2, b1.Digest)
	res, err := s.Accept(ctx, b2, deliveries("chain"), audit())
	if err != nil || res.Existing || res.Version.Seq != 4 {
		t.Fatalf("new version of B: %v %+v", err, res)
	}
	if res, err := s.Accept(ctx, a1, nil, audit()); err != nil || !res.Existing || res.Version.Seq != 1 {
		t.Fatalf("A1 again: %v %+v", err, res)
	}
	c := version(1, "")
	if res, err := s.Accept(ctx, c, deliveries("chain"), audit()); err != nil || res.Version.Seq != 5 {
		t.Fatalf("new record: %v %+v", err, res)
	}
	if rec, err := s.Record(ctx, b1.RecordID); err != nil || len(rec.History) != 2 || rec.Current.Digest != b2.Digest {
		t.Fatalf("B after its new version: %v %+v", err, rec)
	}
}

// Integrity checks that s.CheckIntegrity passes on a store the suite's
// operations leave behind and reports each relation a damaged database
// breaks.
func Integrity(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	a, b := version(1, ""), version(1, "")
	for _, v := range []store.Version{a, b} {
		if _, err := s.Accept(ctx, v, deliveries("chain"), audit()); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.IndexCodes(ctx); err != nil { // with Dialect.DeferredCodes, the codes are indexed now
		t.Fatal(err)
	}
	if err := s.CheckIntegrity(ctx); err != nil {
		t.Fatalf("intact store: %v", err)
	}
	// Remove A's version: its record's head, its codes and its delivery
	// now point at nothing.
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := s.DB().ExecContext(ctx, s.Dialect().Rebind(q), args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`DELETE FROM versions WHERE record_id = ?`, a.RecordID)
	err := s.CheckIntegrity(ctx)
	if !errors.Is(err, sqlstore.ErrIntegrity) {
		t.Fatalf("damaged store: got %v, want ErrIntegrity", err)
	}
	for _, want := range []string{"1 records whose head version is missing", "index codes of a missing version", "1 deliveries of a missing version"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("damaged store: %q does not report %q", err, want)
		}
	}
}
