package conformance

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/schema"
)

// TestAdapter runs the adapter conformance suite: every promise of the
// adapters contract, as subtests. Call it from the adapter's own test:
//
//	func TestConformance(t *testing.T) {
//		conformance.TestAdapter(t, conformance.Harness{Open: ...})
//	}
func TestAdapter(t *testing.T, h Harness) {
	if h.Open == nil {
		t.Fatal("conformance: Harness.Open is required")
	}
	if h.Concurrency < 50 {
		h.Concurrency = 50
	}
	if h.Timeout <= 0 {
		h.Timeout = 2 * time.Minute
	}
	if h.EventTimeout <= 0 {
		h.EventTimeout = time.Minute
	}
	k := &kit{h: h}
	tests := []struct {
		name  string
		fn    func(*testing.T, *env)
		watch bool
	}{
		{"RoundTrip", k.roundTrip, false},
		{"NotFound", k.notFound, false},
		{"IdempotentRewrite", k.idempotentRewrite, false},
		{"Versions", k.versions, false},
		{"ConcurrentWriters", k.concurrentWriters, false},
		{"RefuseBadInput", k.refuseBadInput, false},
		{"Outage", k.outage, false},
		{"CloseIdempotent", k.closeIdempotent, false},
		{"SubmitTrack", k.submitTrack, false},
		{"SubmitRefuses", k.submitRefuses, false},
		{"TrackNotFound", k.trackNotFound, false},
		{"ConcurrentSubmitters", k.concurrentSubmitters, false},
		{"WatchFromStart", k.watchFromStart, true},
		{"WatchResume", k.watchResume, true},
		{"WatchCancel", k.watchCancel, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.watch && h.SkipWatch {
				t.Skip("adapter does not implement adapters.Watcher (Harness.SkipWatch)")
			}
			ctx, cancel := context.WithTimeout(context.Background(), h.Timeout)
			defer cancel()
			a := h.Open(t)
			t.Cleanup(func() { _ = a.Close() })
			tc.fn(t, &env{ctx: ctx, a: a, m: recordMaker{t: t, reg: schema.Default()}})
		})
	}
}

type kit struct{ h Harness }

// env is one subtest's context, adapter and record maker.
type env struct {
	ctx context.Context
	a   adapters.Adapter
	m   recordMaker
}

var policies = []adapters.Policy{
	{Disclosure: adapters.DisclosureFull},
	{Disclosure: adapters.DisclosureRedacted, PublicFields: []string{"sensorType", "observedAt", "location"}},
	{Disclosure: adapters.DisclosureDigest},
}

// write writes and fails the test on error, retrying while the adapter
// reports ErrUnavailable (after checking the write was indeed not applied).
func (k *kit) write(t *testing.T, e *env, rec *schema.Record, p adapters.Policy) adapters.Receipt {
	t.Helper()
	for attempt := 1; ; attempt++ {
		rc, err := e.a.Write(e.ctx, rec, p)
		if err == nil {
			k.checkReceipt(t, rec, p, rc)
			return rc
		}
		if !errors.Is(err, adapters.ErrUnavailable) || attempt == 5 {
			t.Fatalf("Write(%s, %s): %v", rec.ID, p.Disclosure, err)
		}
		k.assertNotApplied(t, e, rec, err)
	}
}

// assertNotApplied enforces the ErrUnavailable promise: not applied.
func (k *kit) assertNotApplied(t *testing.T, e *env, rec *schema.Record, werr error) {
	t.Helper()
	if _, err := e.a.Receipt(e.ctx, rec.ID, rec.Digest); err == nil {
		t.Fatalf("Write(%s) returned %v (ErrUnavailable: not applied), but the ledger holds the record", rec.ID, werr)
	} else if !errors.Is(err, adapters.ErrNotFound) && !errors.Is(err, adapters.ErrUnavailable) {
		t.Fatalf("Receipt after ErrUnavailable: %v", err)
	}
}

func (k *kit) checkReceipt(t *testing.T, rec *schema.Record, p adapters.Policy, rc adapters.Receipt) {
	t.Helper()
	bad := receiptProblems(rec, p, rc)
	if rc.Status != adapters.StatusCommitted && rc.Status != adapters.StatusConfirmed {
		bad = append(bad, fmt.Sprintf("status %q once written, want committed or confirmed", rc.Status))
	}
	if len(bad) > 0 {
		t.Fatalf("receipt of %s: %s", rec.ID, strings.Join(bad, "; "))
	}
}

func (k *kit) ledgerWrites(t *testing.T) (uint64, bool) {
	if k.h.LedgerWrites == nil {
		return 0, false
	}
	return k.h.LedgerWrites(t), true
}

func (k *kit) roundTrip(t *testing.T, e *env) {
	for _, p := range policies {
		t.Run(string(p.Disclosure), func(t *testing.T) {
			rec := e.m.make()
			rc := k.write(t, e, rec, p)
			got, err := e.a.Read(e.ctx, rec.ID)
			if err != nil {
				t.Fatalf("Read after Write: %v", err)
			}
			if got.Digest != rec.Digest || got.RecordID != rec.ID || got.Type != rec.Type || got.Issuer != rec.Issuer.ID {
				t.Fatalf("Read = {id %s type %s issuer %s digest %s}, wrote {%s %s %s %s}", got.RecordID, got.Type, got.Issuer, got.Digest, rec.ID, rec.Type, rec.Issuer.ID, rec.Digest)
			}
			if got.Disclosure != p.Disclosure {
				t.Fatalf("Read disclosure %q, want %q", got.Disclosure, p.Disclosure)
			}
			want, err := adapters.Prepare(nil, rec, p, 0)
			if err != nil {
				t.Fatal(err)
			}
			if string(got.Content) != string(want.Content) {
				t.Fatalf("Read content under %s disclosure:\n got %q\nwant %q", p.Disclosure, got.Content, want.Content)
			}
			if p.Disclosure == adapters.DisclosureFull && schema.DigestOf(got.Content) != rec.Digest {
				t.Fatalf("full content read back does not hash to the record digest")
			}
			if p.Disclosure == adapters.DisclosureRedacted && strings.Contains(string(got.Content), `"value"`) {
				t.Fatalf("redacted content leaks a non-public field: %s", got.Content)
			}
			rc2, err := e.a.Receipt(e.ctx, rec.ID, rec.Digest)
			if err != nil {
				t.Fatalf("Receipt: %v", err)
			}
			if rc2.TxID != rc.TxID || rc2.Block != rc.Block || rc2.Index != rc.Index {
				t.Fatalf("Receipt = tx %s block %d index %d; Write said tx %s block %d index %d", rc2.TxID, rc2.Block, rc2.Index, rc.TxID, rc.Block, rc.Index)
			}
			if v, ok := e.a.(adapters.Verifier); ok {
				res, err := v.Verify(e.ctx, rc)
				if err != nil || !res.OK || res.Digest != rec.Digest {
					t.Fatalf("Verify(own receipt) = %+v, %v; want OK with digest %s", res, err, rec.Digest)
				}
				forged := rc
				forged.TxID = strings.Repeat("0", len(rc.TxID))
				if res, err := v.Verify(e.ctx, forged); err == nil && res.OK {
					t.Fatalf("Verify accepted a receipt with a forged transaction id: %+v", res)
				}
			}
		})
	}
}

func (k *kit) notFound(t *testing.T, e *env) {
	id := NewRecordID()
	if _, err := e.a.Read(e.ctx, id); !errors.Is(err, adapters.ErrNotFound) {
		t.Fatalf("Read(unknown id) = %v, want ErrNotFound", err)
	}
	rec := e.m.make()
	if _, err := e.a.Receipt(e.ctx, rec.ID, rec.Digest); !errors.Is(err, adapters.ErrNotFound) {
		t.Fatalf("Receipt(unwritten record) = %v, want ErrNotFound", err)
	}
	k.write(t, e, rec, policies[0])
	other := e.m.nextVersion(rec, rec.Digest, "1")
	if _, err := e.a.Receipt(e.ctx, rec.ID, other.Digest); !errors.Is(err, adapters.ErrNotFound) {
		t.Fatalf("Receipt(known id, unwritten digest) = %v, want ErrNotFound", err)
	}
}

func (k *kit) idempotentRewrite(t *testing.T, e *env) {
	rec := e.m.make()
	rc1 := k.write(t, e, rec, policies[0])
	before, counted := k.ledgerWrites(t)
	for range 3 {
		rc2, err := e.a.Write(e.ctx, rec, policies[0])
		if err != nil {
			t.Fatalf("rewriting the same record: %v, want the existing receipt", err)
		}
		if rc2.TxID != rc1.TxID || rc2.Block != rc1.Block || rc2.Index != rc1.Index {
			t.Fatalf("rewrite gave receipt tx %s block %d; first write tx %s block %d", rc2.TxID, rc2.Block, rc1.TxID, rc1.Block)
		}
	}
	if counted {
		if after := k.h.LedgerWrites(t); after != before {
			t.Fatalf("rewriting the same record made %d ledger writes, want 0", after-before)
		}
	}
}

func (k *kit) versions(t *testing.T, e *env) {
	v1 := e.m.make()
	rc1 := k.write(t, e, v1, policies[0])
	before, counted := k.ledgerWrites(t)

	// Same id, new digest, no supersedes link: a conflict.
	rogue := e.m.nextVersion(v1, "", "2")
	_, err := e.a.Write(e.ctx, rogue, policies[0])
	var rej *adapters.RejectedError
	if !errors.As(err, &rej) || rej.Reason != adapters.ReasonConflict {
		t.Fatalf("Write(same id, other digest, no supersedes) = %v, want ErrRejected with reason %q", err, adapters.ReasonConflict)
	}
	if counted {
		if after := k.h.LedgerWrites(t); after != before {
			t.Fatalf("a refused conflicting version reached the ledger (%d writes)", after-before)
		}
	}
	// A proper new version supersedes the head.
	v2 := e.m.nextVersion(v1, v1.Digest, "3")
	k.write(t, e, v2, policies[0])
	got, err := e.a.Read(e.ctx, v1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Digest != v2.Digest || got.Supersedes != v1.Digest {
		t.Fatalf("Read after new version = digest %s supersedes %s; want %s superseding %s", got.Digest, got.Supersedes, v2.Digest, v1.Digest)
	}
	// Superseding a version that is no longer the head is a conflict.
	stale := e.m.nextVersion(v1, v1.Digest, "4")
	if _, err := e.a.Write(e.ctx, stale, policies[0]); !errors.As(err, &rej) || rej.Reason != adapters.ReasonConflict {
		t.Fatalf("Write(supersedes a non-head version) = %v, want ErrRejected with reason %q", err, adapters.ReasonConflict)
	}
	// The old version keeps its receipt, and rewriting it is idempotent.
	if rc, err := e.a.Receipt(e.ctx, v1.ID, v1.Digest); err != nil || rc.TxID != rc1.TxID {
		t.Fatalf("Receipt(old version) = %+v, %v; want tx %s", rc, err, rc1.TxID)
	}
	if rc, err := e.a.Write(e.ctx, v1, policies[0]); err != nil || rc.TxID != rc1.TxID {
		t.Fatalf("rewriting the old version = %+v, %v; want its original receipt", rc, err)
	}
}

func (k *kit) concurrentWriters(t *testing.T, e *env) {
	n := k.h.Concurrency
	recs := make([]*schema.Record, n)
	for i := range recs {
		recs[i] = e.m.make()
	}
	rcs := make([]adapters.Receipt, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			for attempt := 0; attempt < 5; attempt++ {
				rcs[i], errs[i] = e.a.Write(e.ctx, recs[i], policies[i%len(policies)])
				if !errors.Is(errs[i], adapters.ErrUnavailable) {
					return
				}
				if _, err := e.a.Receipt(e.ctx, recs[i].ID, recs[i].Digest); err == nil {
					errs[i] = fmt.Errorf("Write returned ErrUnavailable (not applied), but the ledger holds the record: %w", errs[i])
					return
				}
			}
		})
	}
	wg.Wait()
	seen := map[string]string{}
	for i := range n {
		if errs[i] != nil {
			t.Errorf("writer %d: %v", i, errs[i])
			continue
		}
		k.checkReceipt(t, recs[i], policies[i%len(policies)], rcs[i])
		key := fmt.Sprintf("%s/%d/%d", rcs[i].TxID, rcs[i].Block, rcs[i].Index)
		if prev, dup := seen[key]; dup {
			t.Errorf("writers %s and %s got the same receipt %s", prev, recs[i].ID, key)
		}
		seen[key] = recs[i].ID
	}
	if t.Failed() {
		return
	}
	for i := range n {
		got, err := e.a.Read(e.ctx, recs[i].ID)
		if err != nil || got.Digest != recs[i].Digest {
			t.Errorf("Read(%s) after concurrent write = %s, %v", recs[i].ID, got.Digest, err)
		}
	}
}

func (k *kit) refuseBadInput(t *testing.T, e *env) {
	before, counted := k.ledgerWrites(t)
	good := e.m.make()
	cases := map[string]*schema.Record{}

	tampered := *good
	tampered.Digest = schema.DigestOf([]byte("something else"))
	cases["digest does not match bytes"] = &tampered

	lying := *good
	lying.ID = NewRecordID()
	cases["id does not match bytes"] = &lying

	invalid := *good
	invalid.Canonical = []byte(strings.Replace(string(good.Canonical), `"sensorType":"radiation"`, `"sensorType":"telepathy"`, 1))
	invalid.Digest = schema.DigestOf(invalid.Canonical)
	cases["fails schema validation"] = &invalid

	huge := *good
	huge.Canonical = append([]byte(`{"pad":"`+strings.Repeat("x", schema.DefaultMaxSize)), `"}`...)
	huge.Digest = schema.DigestOf(huge.Canonical)
	cases["larger than the schema limit"] = &huge

	if k.h.MaxContent > 0 && k.h.MaxContent < schema.DefaultMaxSize-4096 {
		cases["larger than the ledger's payload limit"] = e.m.make(withPadding(k.h.MaxContent + 1))
	}
	for name, rec := range cases {
		_, err := e.a.Write(e.ctx, rec, policies[0])
		var rej *adapters.RejectedError
		if !errors.As(err, &rej) {
			t.Errorf("%s: Write = %v, want ErrRejected", name, err)
			continue
		}
		if _, err := e.a.Read(e.ctx, rec.ID); !errors.Is(err, adapters.ErrNotFound) {
			t.Errorf("%s: after refusal, Read(%s) = %v, want ErrNotFound", name, rec.ID, err)
		}
	}
	if _, err := e.a.Write(e.ctx, nil, policies[0]); !errors.Is(err, adapters.ErrRejected) {
		t.Errorf("Write(nil) = %v, want ErrRejected", err)
	}
	if _, err := e.a.Write(e.ctx, good, adapters.Policy{Disclosure: "everything"}); !errors.Is(err, adapters.ErrRejected) {
		t.Errorf("Write with unknown disclosure = %v, want ErrRejected", err)
	}
	if counted {
		if after := k.h.LedgerWrites(t); after != before {
			t.Errorf("refused records reached the ledger: %d writes", after-before)
		}
	}
}

// outage checks the unavailable-and-not-applied promise on a cancelled
// context: the write fails, and if the adapter says ErrUnavailable the
// record must not be on the ledger; a retry then succeeds.
func (k *kit) outage(t *testing.T, e *env) {
	rec := e.m.make()
	cctx, cancel := context.WithCancel(e.ctx)
	cancel()
	_, err := e.a.Write(cctx, rec, policies[0])
	if err == nil {
		t.Fatalf("Write with a cancelled context succeeded")
	}
	if errors.Is(err, adapters.ErrUnavailable) {
		k.assertNotApplied(t, e, rec, err)
	}
	k.write(t, e, rec, policies[0])
}

func (k *kit) closeIdempotent(t *testing.T, e *env) {
	a := k.h.Open(t)
	if err := a.Close(); err != nil {
		t.Fatalf("first Close: %v", err)
	}
	if err := a.Close(); err != nil {
		t.Fatalf("second Close: %v, want nil", err)
	}
	if _, err := a.Write(e.ctx, e.m.make(), policies[0]); !errors.Is(err, adapters.ErrClosed) {
		t.Fatalf("Write after Close = %v, want ErrClosed", err)
	}
	if _, err := a.Read(e.ctx, NewRecordID()); !errors.Is(err, adapters.ErrClosed) {
		t.Fatalf("Read after Close = %v, want ErrClosed", err)
	}
}
