package conformance

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/schema"
)

// The Submit subtests run when the adapter implements adapters.Submitter.

func submitter(t *testing.T, e *env) adapters.Submitter {
	t.Helper()
	s, ok := e.a.(adapters.Submitter)
	if !ok {
		t.Skip("adapter does not implement adapters.Submitter")
	}
	return s
}

// submit submits and checks the receipt, retrying while the adapter
// reports ErrUnavailable (after checking the write was indeed not applied).
func (k *kit) submit(t *testing.T, e *env, s adapters.Submitter, rec *schema.Record, p adapters.Policy) adapters.Receipt {
	t.Helper()
	for attempt := 1; ; attempt++ {
		rc, err := s.Submit(e.ctx, rec, p)
		if err == nil {
			if bad := receiptProblems(rec, p, rc); len(bad) > 0 {
				t.Fatalf("Submit(%s) receipt: %s", rec.ID, strings.Join(bad, "; "))
			}
			return rc
		}
		if !errors.Is(err, adapters.ErrUnavailable) || attempt == 5 {
			t.Fatalf("Submit(%s, %s): %v", rec.ID, p.Disclosure, err)
		}
		k.assertNotApplied(t, e, rec, err)
	}
}

// track follows a submitted write with Track until it is no longer
// pending, and checks that it landed as the receipt said.
func (k *kit) track(t *testing.T, e *env, s adapters.Submitter, rec *schema.Record, p adapters.Policy, rc adapters.Receipt) adapters.Receipt {
	t.Helper()
	sub := rc
	rc, err := adapters.Await(e.ctx, s, rc, 20*time.Millisecond)
	if err != nil {
		t.Fatalf("following write %s of a record nothing interfered with: %v", sub.TxID, err)
	}
	k.checkReceipt(t, rec, p, rc)
	if sub.Status == adapters.StatusSubmitted && rc.TxID != sub.TxID {
		t.Fatalf("Submit named write %s, but Track reports %s landed", sub.TxID, rc.TxID)
	}
	return rc
}

func receiptProblems(rec *schema.Record, p adapters.Policy, rc adapters.Receipt) []string {
	var bad []string
	if rc.RecordID != rec.ID || rc.Digest != rec.Digest || rc.Supersedes != rec.Supersedes {
		bad = append(bad, fmt.Sprintf("names %s@%s superseding %q, want %s@%s superseding %q", rc.RecordID, rc.Digest, rc.Supersedes, rec.ID, rec.Digest, rec.Supersedes))
	}
	if rc.TxID == "" || rc.Ledger == "" {
		bad = append(bad, fmt.Sprintf("ledger %q, txId %q: both are required", rc.Ledger, rc.TxID))
	}
	if rc.Status != adapters.StatusSubmitted && rc.Status != adapters.StatusCommitted && rc.Status != adapters.StatusConfirmed {
		bad = append(bad, fmt.Sprintf("status %q", rc.Status))
	}
	if rc.Disclosure != p.Disclosure {
		bad = append(bad, fmt.Sprintf("disclosure %q, want %q", rc.Disclosure, p.Disclosure))
	}
	return bad
}

// submitTrack: a submitted write lands, Track and Receipt agree on it, and
// submitting it again makes no second write.
func (k *kit) submitTrack(t *testing.T, e *env) {
	s := submitter(t, e)
	for _, p := range policies {
		t.Run(string(p.Disclosure), func(t *testing.T) {
			rec := e.m.make()
			rc := k.track(t, e, s, rec, p, k.submit(t, e, s, rec, p))
			got, err := e.a.Read(e.ctx, rec.ID)
			if err != nil || got.Digest != rec.Digest || got.Disclosure != p.Disclosure {
				t.Fatalf("Read after the submitted write landed = digest %s disclosure %s, %v; want %s, %s", got.Digest, got.Disclosure, err, rec.Digest, p.Disclosure)
			}
			rc2, err := e.a.Receipt(e.ctx, rec.ID, rec.Digest)
			if err != nil || rc2.TxID != rc.TxID || rc2.Block != rc.Block || rc2.Index != rc.Index {
				t.Fatalf("Receipt = %+v, %v; Track said tx %s block %d index %d", rc2, err, rc.TxID, rc.Block, rc.Index)
			}
			before, counted := k.ledgerWrites(t)
			again, err := s.Submit(e.ctx, rec, p)
			if err != nil || again.Status == adapters.StatusSubmitted || again.TxID != rc.TxID || again.Block != rc.Block {
				t.Fatalf("Submit of a version the ledger holds = %+v, %v; want its receipt (tx %s, block %d)", again, err, rc.TxID, rc.Block)
			}
			if rc3, err := s.Track(e.ctx, rc); err != nil || rc3.TxID != rc.TxID || rc3.Status == adapters.StatusSubmitted {
				t.Fatalf("Track of a landed write = %+v, %v; want its receipt", rc3, err)
			}
			if counted {
				if after := k.h.LedgerWrites(t); after != before {
					t.Fatalf("submitting a version the ledger holds made %d ledger writes, want 0", after-before)
				}
			}
		})
	}
}

// submitRefuses: Submit refuses what Write refuses, before any ledger
// write.
func (k *kit) submitRefuses(t *testing.T, e *env) {
	s := submitter(t, e)
	v1 := e.m.make()
	k.track(t, e, s, v1, policies[0], k.submit(t, e, s, v1, policies[0]))
	before, counted := k.ledgerWrites(t)
	var rej *adapters.RejectedError
	if _, err := s.Submit(e.ctx, e.m.nextVersion(v1, "", "2"), policies[0]); !errors.As(err, &rej) || rej.Reason != adapters.ReasonConflict {
		t.Errorf("Submit(same id, other digest, no supersedes) = %v, want ErrRejected with reason %q", err, adapters.ReasonConflict)
	}
	tampered := *e.m.make()
	tampered.Digest = schema.DigestOf([]byte("something else"))
	if _, err := s.Submit(e.ctx, &tampered, policies[0]); !errors.As(err, &rej) {
		t.Errorf("Submit(digest does not match bytes) = %v, want ErrRejected", err)
	}
	if _, err := s.Submit(e.ctx, e.m.make(), adapters.Policy{Disclosure: "everything"}); !errors.Is(err, adapters.ErrRejected) {
		t.Errorf("Submit with unknown disclosure = %v, want ErrRejected", err)
	}
	if counted {
		if after := k.h.LedgerWrites(t); after != before {
			t.Errorf("refused submissions reached the ledger: %d writes", after-before)
		}
	}
	// A proper new version lands as a submission too.
	v2 := e.m.nextVersion(v1, v1.Digest, "3")
	k.track(t, e, s, v2, policies[0], k.submit(t, e, s, v2, policies[0]))
	if got, err := e.a.Read(e.ctx, v1.ID); err != nil || got.Digest != v2.Digest || got.Supersedes != v1.Digest {
		t.Errorf("Read after a submitted new version = digest %s supersedes %s, %v; want %s superseding %s", got.Digest, got.Supersedes, err, v2.Digest, v1.Digest)
	}
}

// trackNotFound: Track says ErrNotFound for a version the ledger does not
// hold, even when the receipt names a real write (of another record) or a
// write the ledger never saw.
func (k *kit) trackNotFound(t *testing.T, e *env) {
	s := submitter(t, e)
	landed := e.m.make()
	rc := k.track(t, e, s, landed, policies[0], k.submit(t, e, s, landed, policies[0]))
	never := e.m.make()
	other := rc
	other.RecordID, other.Digest, other.Status = never.ID, never.Digest, adapters.StatusSubmitted
	if got, err := s.Track(e.ctx, other); !errors.Is(err, adapters.ErrNotFound) {
		t.Errorf("Track(receipt of another record's write, relabelled) = %+v, %v; want ErrNotFound", got, err)
	}
	unknown := other
	unknown.TxID = otherHex(rc.TxID) // same form, a write nobody made
	unknown.Time = time.Now().Add(-24 * time.Hour)
	if got, err := s.Track(e.ctx, unknown); !errors.Is(err, adapters.ErrNotFound) {
		t.Errorf("Track(receipt of a write the ledger never saw) = %+v, %v; want ErrNotFound", got, err)
	}
	if _, err := e.a.Read(e.ctx, never.ID); !errors.Is(err, adapters.ErrNotFound) {
		t.Errorf("Read(%s) after Track = %v, want ErrNotFound: Track must not write", never.ID, err)
	}
}

// concurrentSubmitters: many submissions in flight at once all land, each
// as its own write.
func (k *kit) concurrentSubmitters(t *testing.T, e *env) {
	s := submitter(t, e)
	n := k.h.Concurrency
	recs := make([]*schema.Record, n)
	for i := range recs {
		recs[i] = e.m.make()
	}
	subs := make([]adapters.Receipt, n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []string
	for i := range n {
		wg.Go(func() {
			rc, err := s.Submit(e.ctx, recs[i], policies[i%len(policies)])
			if err != nil {
				mu.Lock()
				failures = append(failures, fmt.Sprintf("submitter %d: %v", i, err))
				mu.Unlock()
			}
			subs[i] = rc
		})
	}
	wg.Wait()
	if len(failures) > 0 {
		t.Fatalf("%d of %d concurrent submissions failed: %s", len(failures), n, strings.Join(failures, "; "))
	}
	seen := map[string]string{}
	for i := range n {
		if prev, dup := seen[subs[i].TxID]; dup {
			t.Fatalf("submissions of %s and %s were given the same write %s", prev, recs[i].ID, subs[i].TxID)
		}
		seen[subs[i].TxID] = recs[i].ID
	}
	for i := range n {
		k.track(t, e, s, recs[i], policies[i%len(policies)], subs[i])
	}
}

// otherHex replaces every hex digit of s (after any 0x prefix) with the
// next one, keeping its form.
func otherHex(s string) string {
	prefix := ""
	if strings.HasPrefix(s, "0x") {
		prefix, s = "0x", s[2:]
	}
	const digits = "0123456789abcdef0"
	return prefix + strings.Map(func(r rune) rune {
		if i := strings.IndexRune(digits, r); i >= 0 {
			return rune(digits[i+1])
		}
		return r
	}, strings.ToLower(s))
}
