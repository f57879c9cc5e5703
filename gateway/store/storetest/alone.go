package storetest

import (
	"context"
	"testing"

	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/gateway/store/sqlstore"
)

// AcceptAlone checks the one-statement accept of new records
// (sqlstore.Dialect.LockedIDs) on a store whose record and version
// numbers have parted (a record with two versions): new records get the
// next numbers, their heads and deliveries follow, and the store keeps
// its relations. A batch resubmitting a stored id fails that statement
// and goes the transaction's way, with the same outcomes as a store
// without it. s must be empty.
func AcceptAlone(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	accept := func(reqs ...store.AcceptRequest) []store.AcceptOutcome {
		t.Helper()
		out := s.AcceptBatch(ctx, reqs)
		for i, o := range out {
			if o.Err != nil {
				t.Fatalf("request %d: %v", i, o.Err)
			}
		}
		return out
	}
	req := func(v store.Version) store.AcceptRequest {
		return store.AcceptRequest{Version: v, Deliveries: deliveries("ethereum", "factom"), Audit: audit()}
	}
	a1 := version(1, "")
	a2 := versionOf(a1.RecordID, 2, a1.Digest)
	accept(req(a1))
	accept(req(a2)) // supersedes: a transaction
	before := s.WriterUsage().Alone
	b, c := version(3, ""), version(4, "")
	out := accept(req(b), req(c))
	// The writer may take the two in one batch or, when it starts on the
	// first before the second is queued, in two.
	if got := s.WriterUsage().Alone - before; got < 1 || got > 2 {
		t.Fatalf("a batch of two new records went as %d one-statement accepts, want 1 or 2", got)
	}
	for i, v := range []store.Version{b, c} {
		if got := out[i].Result.Version.Seq; got != int64(3+i) || out[i].Result.Existing {
			t.Fatalf("new record %d: %+v, want seq %d", i, out[i].Result, 3+i)
		}
		rec, err := s.Record(ctx, v.RecordID)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Current.Seq != int64(3+i) || rec.Current.Digest != v.Digest || len(rec.History) != 1 || len(rec.Deliveries) != 2 || rec.Deliveries[0].Digest != v.Digest {
			t.Fatalf("record %s after a one-statement accept: %+v", v.RecordID, rec)
		}
	}
	if page, err := s.List(ctx, store.Query{Country: "MX"}); err != nil || len(page.Items) != 3 {
		t.Fatalf("list by country: %v, %d items, want 3", err, len(page.Items))
	}
	// b again with a new record: b's id is stored, so the statement
	// fails and the batch is stored in a transaction.
	before = s.WriterUsage().Alone
	d := version(5, "")
	out = accept(req(b), req(d))
	if !out[0].Result.Existing || out[0].Result.Version.Seq != 3 || out[1].Result.Existing || out[1].Result.Version.Seq != 5 {
		t.Fatalf("resubmission with a new record: %+v", out)
	}
	if got := s.WriterUsage().Alone - before; got != 0 {
		t.Fatalf("a batch resubmitting a stored id counted as %d one-statement accepts", got)
	}
	if err := s.CheckIntegrity(ctx); err != nil {
		t.Fatal(err)
	}
}
