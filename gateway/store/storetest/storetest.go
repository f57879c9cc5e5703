// Package storetest is the one test suite every store.Store passes.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/schema"
)

// Harness opens stores for the suite.
type Harness struct {
	// Open returns an empty, migrated store, and a function that opens the
	// same database again (to test restarts and repeated migration).
	Open func(t *testing.T) (s store.Store, reopen func() (store.Store, error))
}

// IntegrityChecker is implemented by stores that can verify the relations
// between their own tables (sqlstore.Store.CheckIntegrity).
type IntegrityChecker interface {
	CheckIntegrity(ctx context.Context) error
}

// checkIntegrity fails t if s reports broken relations after a test.
func checkIntegrity(t *testing.T, s store.Store) {
	t.Helper()
	if c, ok := s.(IntegrityChecker); ok && !t.Failed() {
		if err := c.CheckIntegrity(context.Background()); err != nil {
			t.Errorf("after the test: %v", err)
		}
	}
}

// Run runs the suite.
func Run(t *testing.T, h Harness) {
	tests := map[string]func(*testing.T, store.Store){
		"AcceptAndRead":         acceptAndRead,
		"Idempotent":            idempotent,
		"Versions":              versions,
		"ConcurrentAccept":      concurrentAccept,
		"MixedBatch":            mixedBatch,
		"AcceptBatch":           acceptBatch,
		"ListFilters":           listFilters,
		"ListPagination":        listPagination,
		"ListCodes":             listCodes,
		"ListCodesGrouped":      listCodesGrouped,
		"OutboxLeases":          outboxLeases,
		"OutboxRenew":           outboxRenew,
		"OutboxDeliveryVersion": outboxDeliveryVersion,
		"OutboxVersionOrder":    outboxVersionOrder,
		"OutboxConcurrency":     outboxConcurrency,
		"Checkpoints":           checkpoints,
		"AuditLog":              auditLog,
		"DeadLetters":           deadLetters,
		"Leases":                leases,
		"Discrepancies":         discrepancies,
		"VersionDeliveries":     versionDeliveries,
		"ListRejectsBadFilter":  listRejectsBadFilter,
		"LargeBatch":            largeBatch,
		"LargeBodies":           largeBodies,
	}
	for name, fn := range tests {
		t.Run(name, func(t *testing.T) {
			s, _ := h.Open(t)
			t.Cleanup(func() { _ = s.Close() })
			fn(t, s)
			checkIntegrity(t, s)
		})
	}
	t.Run("Reopen", func(t *testing.T) {
		s, reopen := h.Open(t)
		ctx := context.Background()
		v := version(1, "")
		if _, err := s.Accept(ctx, v, deliveries("eth"), audit()); err != nil {
			t.Fatal(err)
		}
		if err := s.SetCheckpoint(ctx, "src", "cp-1"); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatalf("second Close: %v", err)
		}
		s2, err := reopen()
		if err != nil {
			t.Fatalf("reopening (migrations must be idempotent): %v", err)
		}
		defer s2.Close()
		d, err := s2.Record(ctx, v.RecordID)
		if err != nil || d.Current.Digest != v.Digest || len(d.Deliveries) != 1 {
			t.Fatalf("after reopen: %+v, %v", d, err)
		}
		if cp, err := s2.Checkpoint(ctx, "src"); err != nil || cp != "cp-1" {
			t.Fatalf("checkpoint after reopen = %q, %v", cp, err)
		}
	})
}

var idCounter struct {
	sync.Mutex
	n int
}

func newID() string {
	idCounter.Lock()
	defer idCounter.Unlock()
	idCounter.n++
	return fmt.Sprintf("urn:uuid:00000000-0000-4000-8000-%012d", idCounter.n+int(time.Now().UnixNano()%1e6)*1000)
}

func digest(s string) schema.Digest { return schema.DigestOf([]byte(s)) }

// version builds a version of a fresh record; n varies its content.
func version(n int, supersedes schema.Digest) store.Version {
	return versionOf(newID(), n, supersedes)
}

func versionOf(id string, n int, supersedes schema.Digest) store.Version {
	body := fmt.Sprintf(`{"id":%q,"n":%d}`, id, n)
	return store.Version{
		RecordID: id, Digest: digest(body), Type: "SensorReading", SchemaVersion: "1.0",
		Issuer: "did:web:partner-a.example", Partner: "partner-a", Supersedes: supersedes,
		Canonical: []byte(body), IssuedAt: time.Date(2026, 7, 4, 15, 0, 0, 0, time.UTC),
		HSCodes: []string{"721320"}, Countries: []string{"US", "MX"},
	}
}

func deliveries(ledgers ...string) []store.NewDelivery {
	var out []store.NewDelivery
	for _, l := range ledgers {
		out = append(out, store.NewDelivery{Ledger: l, Policy: adapters.Policy{Disclosure: adapters.DisclosureDigest}})
	}
	return out
}

func audit() store.AuditEntry {
	return store.AuditEntry{Actor: "partner-a", Action: "record.accepted"}
}

func acceptAndRead(t *testing.T, s store.Store) {
	ctx := context.Background()
	v := version(1, "")
	res, err := s.Accept(ctx, v, deliveries("ethereum", "factom"), audit())
	if err != nil {
		t.Fatal(err)
	}
	if res.Existing || res.Version.Seq <= 0 || res.Version.AcceptedAt.IsZero() {
		t.Fatalf("Accept = %+v", res)
	}
	d, err := s.Record(ctx, v.RecordID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Current.Digest != v.Digest || string(d.Current.Canonical) != string(v.Canonical) || len(d.History) != 1 ||
		d.Current.Type != v.Type || d.Current.Issuer != v.Issuer || d.Current.Partner != v.Partner || !d.Current.IssuedAt.Equal(v.IssuedAt) {
		t.Fatalf("Record = %+v", d)
	}
	if len(d.Deliveries) != 2 {
		t.Fatalf("deliveries = %+v", d.Deliveries)
	}
	for _, del := range d.Deliveries {
		if del.State != store.StatePending || del.Policy.Disclosure != adapters.DisclosureDigest || del.Digest != v.Digest {
			t.Fatalf("delivery = %+v", del)
		}
	}
	if got, err := s.Version(ctx, v.RecordID, v.Digest); err != nil || string(got.Canonical) != string(v.Canonical) || got.Seq != res.Version.Seq {
		t.Fatalf("Version = %+v, %v", got, err)
	}
	if _, err := s.Version(ctx, v.RecordID, digest("other")); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Version(unknown digest) = %v, want ErrNotFound", err)
	}
	if _, err := s.Record(ctx, newID()); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Record(unknown) = %v, want ErrNotFound", err)
	}
}

func idempotent(t *testing.T, s store.Store) {
	ctx := context.Background()
	v := version(1, "")
	first, err := s.Accept(ctx, v, deliveries("ethereum"), audit())
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.Accept(ctx, v, deliveries("ethereum", "fabric"), audit())
	if err != nil {
		t.Fatal(err)
	}
	if !again.Existing || again.Version.Seq != first.Version.Seq {
		t.Fatalf("second Accept = %+v, want Existing with seq %d", again, first.Version.Seq)
	}
	d, _ := s.Record(ctx, v.RecordID)
	if len(d.Deliveries) != 1 || len(d.History) != 1 {
		t.Fatalf("a repeated Accept changed state: %+v", d)
	}
	log, err := s.AuditLog(ctx, v.RecordID, 10)
	if err != nil || len(log) != 1 {
		t.Fatalf("audit after repeated Accept = %+v, %v; want one entry", log, err)
	}
}

func versions(t *testing.T, s store.Store) {
	ctx := context.Background()
	v1 := version(1, "")
	if _, err := s.Accept(ctx, v1, deliveries("ethereum"), audit()); err != nil {
		t.Fatal(err)
	}
	rogue := versionOf(v1.RecordID, 2, "")
	if _, err := s.Accept(ctx, rogue, nil, audit()); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("other digest without supersedes = %v, want ErrConflict", err)
	}
	v2 := versionOf(v1.RecordID, 3, v1.Digest)
	if _, err := s.Accept(ctx, v2, deliveries("ethereum"), audit()); err != nil {
		t.Fatalf("proper new version: %v", err)
	}
	stale := versionOf(v1.RecordID, 4, v1.Digest)
	if _, err := s.Accept(ctx, stale, nil, audit()); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("superseding a non-current version = %v, want ErrConflict", err)
	}
	orphan := version(5, digest("nothing"))
	if _, err := s.Accept(ctx, orphan, nil, audit()); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("superseding an unknown record = %v, want ErrConflict", err)
	}
	d, err := s.Record(ctx, v1.RecordID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Current.Digest != v2.Digest || d.Current.Supersedes != v1.Digest || len(d.History) != 2 || d.History[0].Digest != v1.Digest {
		t.Fatalf("after new version: current %s history %d", d.Current.Digest, len(d.History))
	}
	if len(d.Deliveries) != 2 {
		t.Fatalf("deliveries of both versions: %+v", d.Deliveries)
	}
	// Re-accepting the old version is idempotent.
	if res, err := s.Accept(ctx, v1, nil, audit()); err != nil || !res.Existing {
		t.Fatalf("re-accepting v1 = %+v, %v", res, err)
	}
}

func concurrentAccept(t *testing.T, s store.Store) {
	ctx := context.Background()
	id := newID()
	const n = 16
	var wg sync.WaitGroup
	results := make([]store.AcceptResult, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			// Half submit the same version, half conflicting ones.
			content := 0
			if i%2 == 1 {
				content = i
			}
			results[i], errs[i] = s.Accept(ctx, versionOf(id, content, ""), deliveries("ethereum"), audit())
		})
	}
	wg.Wait()
	created := 0
	for i := range n {
		switch {
		case errs[i] == nil && !results[i].Existing:
			created++
		case errs[i] == nil, errors.Is(errs[i], store.ErrConflict):
		default:
			t.Errorf("Accept %d: %v", i, errs[i])
		}
	}
	if created != 1 {
		t.Fatalf("%d concurrent Accepts created the record, want exactly 1", created)
	}
	d, err := s.Record(ctx, id)
	if err != nil || len(d.History) != 1 || len(d.Deliveries) != 1 {
		t.Fatalf("after concurrent accepts: %+v, %v", d, err)
	}
}

// mixedBatch accepts, all at once (so that group commit puts many of them
// in one transaction), new records among replays of stored versions,
// conflicting versions and corrections of stored records, and checks
// each outcome and what the store then holds: every new record and
// correction got a version of its own, replays got the stored version,
// conflicts were refused, and each record's head is its latest version
// (the store's integrity check, run after every test, checks the heads
// of all records).
func mixedBatch(t *testing.T, s store.Store) {
	ctx := context.Background()
	var stored []store.Version
	for i := range 6 {
		v := version(i, "")
		if _, err := s.Accept(ctx, v, deliveries("chain"), audit()); err != nil {
			t.Fatal(err)
		}
		stored = append(stored, v)
	}
	type want int
	const (
		wantNew want = iota
		wantExisting
		wantConflict
	)
	var reqs, olds []store.Version
	var wants []want
	for i := range 60 {
		old := stored[(i/6)%len(stored)]
		olds = append(olds, old)
		switch i % 6 {
		case 1: // a replay of a stored version
			reqs, wants = append(reqs, old), append(wants, wantExisting)
		case 3: // another version that does not say what it supersedes
			reqs, wants = append(reqs, versionOf(old.RecordID, 100+i, "")), append(wants, wantConflict)
		case 5: // a correction; the first of the corrections of one record wins
			reqs, wants = append(reqs, versionOf(old.RecordID, 200+i, old.Digest)), append(wants, -1)
		default:
			reqs, wants = append(reqs, version(300+i, "")), append(wants, wantNew)
		}
	}
	results := make([]store.AcceptResult, len(reqs))
	errs := make([]error, len(reqs))
	var wg sync.WaitGroup
	for i, v := range reqs {
		wg.Go(func() { results[i], errs[i] = s.Accept(ctx, v, deliveries("chain"), audit()) })
	}
	wg.Wait()
	seqs := map[int64]bool{}
	corrected := map[string]store.Version{}
	for i, v := range reqs {
		res, err := results[i], errs[i]
		switch wants[i] {
		case wantNew:
			if err != nil || res.Existing || res.Version.Digest != v.Digest {
				t.Errorf("new record %d: %+v, %v", i, res, err)
			}
		case wantExisting:
			if err != nil || !res.Existing || res.Version.Digest != v.Digest {
				t.Errorf("replay %d: %+v, %v", i, res, err)
			}
		case wantConflict:
			if !errors.Is(err, store.ErrConflict) {
				t.Errorf("conflicting version %d: %+v, %v; want a conflict", i, res, err)
			}
		default: // corrections of one record: one is new, the others conflict with it
			switch {
			case err == nil && !res.Existing:
				if c, ok := corrected[v.RecordID]; ok {
					t.Errorf("record %s corrected twice from one version: %s and %s", v.RecordID, c.Digest, v.Digest)
				}
				corrected[v.RecordID] = res.Version
			case errors.Is(err, store.ErrConflict):
			default:
				t.Errorf("correction %d: %+v, %v", i, res, err)
			}
		}
		if err == nil && !res.Existing {
			if seqs[res.Version.Seq] {
				t.Errorf("seq %d given twice", res.Version.Seq)
			}
			seqs[res.Version.Seq] = true
		}
	}
	for i, v := range reqs {
		d, err := s.Record(ctx, v.RecordID)
		if err != nil {
			t.Fatal(err)
		}
		want := v
		switch {
		case wants[i] == wantNew:
		case corrected[v.RecordID].RecordID != "":
			want = corrected[v.RecordID]
		default:
			want = olds[i]
		}
		if d.Current.Digest != want.Digest {
			t.Errorf("record %s: current version %s, want %s", v.RecordID, d.Current.Digest, want.Digest)
		}
		if wants[i] == wantNew && d.Current.Seq != results[i].Version.Seq {
			t.Errorf("record %s: current seq %d, but accepting it returned %d", v.RecordID, d.Current.Seq, results[i].Version.Seq)
		}
	}
}

// largeBodies checks that record bodies of realistic sizes, which the
// store may keep compressed, read back byte for byte through every read.
func largeBodies(t *testing.T, s store.Store) {
	ctx := context.Background()
	noise := make([]byte, 1200)
	for i := range noise {
		noise[i] = "0123456789abcdefghijklmnopqrstuvwxyz"[(i*7919+i*i*31)%36]
	}
	var vs []store.Version
	for i, body := range []string{
		`{"lines":[` + strings.Repeat(`{"hsCode":"721320","originCountry":"MX","quantity":"12.5"},`, 60) + `{}]}`,
		`{"blob":"` + string(noise) + `"}`,
	} {
		v := version(i, "")
		v.Canonical = []byte(body)
		v.Digest = digest(body)
		if _, err := s.Accept(ctx, v, deliveries("chain"), audit()); err != nil {
			t.Fatal(err)
		}
		vs = append(vs, v)
	}
	p, err := s.List(ctx, store.Query{})
	if err != nil || len(p.Items) != len(vs) {
		t.Fatalf("List = %v, %v", p.Items, err)
	}
	for i, v := range vs {
		d, err := s.Record(ctx, v.RecordID)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Version(ctx, v.RecordID, v.Digest)
		if err != nil {
			t.Fatal(err)
		}
		for where, b := range map[string][]byte{"Record": d.Current.Canonical, "Version": got.Canonical, "List": p.Items[i].Canonical} {
			if string(b) != string(v.Canonical) {
				t.Errorf("%s: body %d of %d bytes reads back as %d bytes", where, i, len(v.Canonical), len(b))
			}
		}
	}
}

// largeBatch sends many concurrent records with long code lists, so a
// group-committed batch exceeds a single statement's parameter limit.
func largeBatch(t *testing.T, s store.Store) {
	ctx := context.Background()
	codes := make([]string, 400)
	for i := range codes {
		codes[i] = fmt.Sprintf("%06d", i)
	}
	const n = 48
	var wg sync.WaitGroup
	errs := make([]error, n)
	vs := make([]store.Version, n)
	for i := range n {
		vs[i] = version(i, "")
		vs[i].HSCodes = codes
		wg.Go(func() {
			_, errs[i] = s.Accept(ctx, vs[i], deliveries("a", "b", "c"), audit())
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Accept %d: %v", i, err)
		}
	}
	for _, v := range vs {
		d, err := s.Record(ctx, v.RecordID)
		if err != nil || len(d.Deliveries) != 3 {
			t.Fatalf("Record(%s) = %+v, %v", v.RecordID, d, err)
		}
	}
	p, err := s.List(ctx, store.Query{HSCode: "000399", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, it := range p.Items {
		for _, v := range vs {
			if it.RecordID == v.RecordID {
				found++
			}
		}
	}
	if found != n {
		t.Fatalf("the last code of each record indexes %d of %d records", found, n)
	}
}
