package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/ledgergate/ledgergate/gateway/store"
)

// recordsOnly hides every method of a store but store.Records', so
// store.AcceptAll takes its fallback (concurrent Accept calls).
type recordsOnly struct{ store.Records }

// acceptBatch runs store.AcceptAll through the store's AcceptBatch (when
// it has one) and through the fallback: each request has its own
// outcome, those for one record id take effect in their order, and a
// request whose context ended is not stored.
func acceptBatch(t *testing.T, s store.Store) {
	paths := map[string]store.Records{"Fallback": recordsOnly{s}}
	if _, ok := s.(store.BatchAccepter); ok {
		paths["AcceptBatch"] = s
	}
	for name, r := range paths {
		t.Run(name, func(t *testing.T) {
			acceptBatchOutcomes(t, s, r)
			acceptBatchCancelled(t, s, r)
		})
	}
}

func acceptBatchOutcomes(t *testing.T, s store.Store, r store.Records) {
	ctx := context.Background()
	stored, other := version(1, ""), version(2, "")
	for _, v := range []store.Version{stored, other} {
		if _, err := s.Accept(ctx, v, deliveries("chain"), audit()); err != nil {
			t.Fatal(err)
		}
	}
	a1 := version(10, "")
	a2 := versionOf(a1.RecordID, 11, a1.Digest)
	a3 := versionOf(a1.RecordID, 12, a2.Digest)
	b := version(20, "")
	c1 := version(30, "")
	c2 := versionOf(c1.RecordID, 31, "")
	type want int
	const (
		wantNew want = iota
		wantExisting
		wantConflict
	)
	cases := []struct {
		v    store.Version
		want want
	}{
		{a1, wantNew},
		{stored, wantExisting}, // a replay of a stored version
		{a2, wantNew},          // supersedes a1, stored earlier in the batch
		{versionOf(other.RecordID, 3, ""), wantConflict}, // another version of a stored record, superseding nothing
		{b, wantNew},
		{a3, wantNew}, // supersedes a2
		{c1, wantNew},
		{b, wantExisting},  // b again, in the same batch
		{c2, wantConflict}, // another version of c1, superseding nothing
		{versionOf(newID(), 40, a1.Digest), wantConflict}, // supersedes a version of a record never stored
	}
	reqs := make([]store.AcceptRequest, len(cases))
	for i, c := range cases {
		reqs[i] = store.AcceptRequest{Version: c.v, Deliveries: deliveries("chain"), Audit: audit()}
	}
	out := store.AcceptAll(ctx, r, reqs)
	if len(out) != len(reqs) {
		t.Fatalf("%d outcomes for %d requests", len(out), len(reqs))
	}
	for i, c := range cases {
		o := out[i]
		switch c.want {
		case wantNew:
			if o.Err != nil || o.Result.Existing || o.Result.Version.Digest != c.v.Digest || o.Result.Version.Seq <= 0 {
				t.Errorf("request %d (new): %+v, %v", i, o.Result, o.Err)
			}
		case wantExisting:
			if o.Err != nil || !o.Result.Existing || o.Result.Version.Digest != c.v.Digest {
				t.Errorf("request %d (stored already): %+v, %v", i, o.Result, o.Err)
			}
		case wantConflict:
			if !errors.Is(o.Err, store.ErrConflict) {
				t.Errorf("request %d: %+v, %v; want a conflict", i, o.Result, o.Err)
			}
		}
	}
	if out[2].Result.Version.Seq <= out[0].Result.Version.Seq || out[5].Result.Version.Seq <= out[2].Result.Version.Seq {
		t.Errorf("versions of one record out of order: seqs %d, %d, %d", out[0].Result.Version.Seq, out[2].Result.Version.Seq, out[5].Result.Version.Seq)
	}
	d, err := s.Record(ctx, a1.RecordID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Current.Digest != a3.Digest || len(d.History) != 3 || len(d.Deliveries) != 3 {
		t.Errorf("record of three versions in one batch: current %s, %d versions, %d deliveries", d.Current.Digest, len(d.History), len(d.Deliveries))
	}
	for _, v := range []store.Version{b, c1, other} {
		d, err := s.Record(ctx, v.RecordID)
		if err != nil || d.Current.Digest != v.Digest || len(d.History) != 1 || len(d.Deliveries) != 1 {
			t.Errorf("record %s: current %s, %d versions, %d deliveries, %v; want one version, %s", v.RecordID, d.Current.Digest, len(d.History), len(d.Deliveries), err, v.Digest)
		}
	}
}

func acceptBatchCancelled(t *testing.T, s store.Store, r store.Records) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var reqs []store.AcceptRequest
	for i := range 20 {
		reqs = append(reqs, store.AcceptRequest{Version: version(100+i, ""), Deliveries: deliveries("chain"), Audit: audit()})
	}
	for i, o := range store.AcceptAll(ctx, r, reqs) {
		if !errors.Is(o.Err, context.Canceled) {
			t.Errorf("request %d with its context cancelled: %+v, %v; want context.Canceled", i, o.Result, o.Err)
		}
		if _, err := s.Record(context.Background(), reqs[i].Version.RecordID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("request %d with its context cancelled was stored (%v)", i, err)
		}
	}
}
