package ethereum_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/ethereum"
	"github.com/ledgergate/ledgergate/adapters/ethereum/ethtest"
	"github.com/ledgergate/ledgergate/schema"
)

// newSubmitChain deploys a registry on a simulated chain sealing a block
// every 10 ms (until paused) and returns an adapter on it.
func newSubmitChain(t *testing.T) (*simChain, context.Context, *ethereum.Adapter) {
	t.Helper()
	chain := newSimChain(t, 10*time.Millisecond)
	ctx := testCtx(t, 2*time.Minute)
	a, err := ethereum.Deploy(ctx, chain.Client(), ethereum.WithKey(chain.key), ethereum.WithPollInterval(10*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return chain, ctx, a
}

// otherVersion is rec with another value and no supersedes link: a
// conflicting version of the same id.
func otherVersion(t *testing.T, m maker, rec *schema.Record) *schema.Record {
	var doc map[string]any
	if err := json.Unmarshal(rec.Canonical, &doc); err != nil {
		t.Fatal(err)
	}
	doc["value"] = "0.0042"
	return m.validate(doc)
}

// Two submissions race while no block is made: the registry takes the
// first, the second transaction reverts. Track then reports the first as
// landed, and the second as ErrNotFound saying it reverted; submitted
// again, it is refused as a conflict without a transaction.
func TestTrackRevertedSubmission(t *testing.T) {
	chain, ctx, a := newSubmitChain(t)
	m := newMaker(t)
	first := m.make()
	second := otherVersion(t, m, first)
	p := adapters.Policy{Disclosure: adapters.DisclosureDigest}

	chain.pause()
	rc1, err := a.Submit(ctx, first, p)
	if err != nil || rc1.Status != adapters.StatusSubmitted {
		t.Fatalf("Submit(first) = %+v, %v; want a submitted write", rc1, err)
	}
	rc2, err := a.Submit(ctx, second, p)
	if err != nil || rc2.Status != adapters.StatusSubmitted || rc2.TxID == rc1.TxID {
		t.Fatalf("Submit(second) = %+v, %v; want a second submitted write", rc2, err)
	}
	if got, err := a.Track(ctx, rc2); err != nil || got.Status != adapters.StatusSubmitted {
		t.Fatalf("Track(pending) = %+v, %v; want it still submitted", got, err)
	}
	chain.resume()

	landed, err := adapters.Await(ctx, a, rc1, 20*time.Millisecond)
	if err != nil || landed.TxID != rc1.TxID || landed.Block == 0 {
		t.Fatalf("Track(first) = %+v, %v; want it in a block", landed, err)
	}
	_, err = adapters.Await(ctx, a, rc2, 20*time.Millisecond)
	if !errors.Is(err, adapters.ErrNotFound) || !strings.Contains(err.Error(), "reverted") {
		t.Fatalf("Track(second) = %v; want ErrNotFound saying it reverted", err)
	}
	nonce, _ := chain.Client().PendingNonceAt(ctx, chain.from())
	var rej *adapters.RejectedError
	if _, err := a.Submit(ctx, second, p); !errors.As(err, &rej) || rej.Reason != adapters.ReasonConflict {
		t.Fatalf("Submit(second) again = %v; want a conflict", err)
	}
	if after, _ := chain.Client().PendingNonceAt(ctx, chain.from()); after != nonce {
		t.Fatalf("a refused submission sent %d transactions", after-nonce)
	}
}

// The same version submitted twice while the first is pending (by two
// gateways sharing a key, or twice by one) is two transactions; the
// registry keeps the first and Track of either reports that one. (After a
// restart the first write waits instead: the test below.)
func TestTrackFindsTheWriteThatLanded(t *testing.T) {
	chain, ctx, a := newSubmitChain(t)
	rec := newMaker(t).make()
	p := adapters.Policy{Disclosure: adapters.DisclosureFull}

	chain.pause()
	rc1, err := a.Submit(ctx, rec, p)
	if err != nil {
		t.Fatal(err)
	}
	rc2, err := a.Submit(ctx, rec, p)
	if err != nil || rc2.TxID == rc1.TxID {
		t.Fatalf("second Submit while the first is pending = %+v, %v; want a second transaction", rc2, err)
	}
	chain.resume()
	got, err := adapters.Await(ctx, a, rc2, 20*time.Millisecond)
	if err != nil || got.TxID != rc1.TxID || got.Status == adapters.StatusSubmitted {
		t.Fatalf("Track(second transaction) = %+v, %v; want the receipt of the first (%s)", got, err, rc1.TxID)
	}
}

// lostReplyAdapter returns an adapter on a's registry whose transactions
// all lose their send replies.
func lostReplyAdapter(t *testing.T, ctx context.Context, chain *simChain, a *ethereum.Adapter) (*ethereum.Adapter, *ethtest.LostReplies) {
	t.Helper()
	b := &ethtest.LostReplies{Backend: chain.Client()}
	la, err := ethereum.New(ctx, b, ethereum.WithKey(chain.key), ethereum.WithRegistry(a.Registry()), ethereum.WithPollInterval(10*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { la.Close() })
	return la, b
}

// A submission whose send reply is lost is still named: the error is an
// *adapters.InFlightError with the receipt of the transaction the node
// holds, which Track follows into its block. Nothing is sent twice.
func TestSubmitNamesTheTransactionWhoseReplyWasLost(t *testing.T) {
	chain, ctx, a := newSubmitChain(t)
	la, b := lostReplyAdapter(t, ctx, chain, a)
	rec := newMaker(t).make()

	chain.pause()
	_, err := la.Submit(ctx, rec, adapters.Policy{Disclosure: adapters.DisclosureDigest})
	var inflight *adapters.InFlightError
	if !errors.As(err, &inflight) || !errors.Is(err, ethereum.ErrOutcomeUnknown) {
		t.Fatalf("Submit with the reply lost = %v; want an InFlightError wrapping ErrOutcomeUnknown", err)
	}
	rc := inflight.Receipt
	if rc.Status != adapters.StatusSubmitted || rc.RecordID != rec.ID || rc.Digest != rec.Digest || rc.Time.IsZero() {
		t.Fatalf("in-flight receipt = %+v; want the submitted write of %s", rc, rec.ID)
	}
	if _, pending, err := chain.Client().TransactionByHash(ctx, common.HexToHash(rc.TxID)); err != nil || !pending {
		t.Fatalf("the node's copy of %s: pending %v, %v; want it pending", rc.TxID, pending, err)
	}
	if got, err := la.Track(ctx, rc); err != nil || got.Status != adapters.StatusSubmitted {
		t.Fatalf("Track(in flight) = %+v, %v; want it still submitted", got, err)
	}
	chain.resume()
	landed, err := adapters.Await(ctx, la, rc, 20*time.Millisecond)
	if err != nil || landed.TxID != rc.TxID || landed.Block == 0 {
		t.Fatalf("Await(in flight) = %+v, %v; want %s in a block", landed, err, rc.TxID)
	}
	if n := b.Sent(); n != 1 {
		t.Fatalf("%d transactions sent, want 1", n)
	}
}

// Write follows a transaction whose send reply was lost as it follows one
// sent without trouble: it returns the write's receipt, and sends nothing
// more.
func TestWriteFollowsTheTransactionWhoseReplyWasLost(t *testing.T) {
	chain, ctx, a := newSubmitChain(t)
	la, b := lostReplyAdapter(t, ctx, chain, a)
	rec := newMaker(t).make()
	rc, err := la.Write(ctx, rec, adapters.Policy{Disclosure: adapters.DisclosureDigest})
	if err != nil || rc.Block == 0 || rc.Status == adapters.StatusSubmitted {
		t.Fatalf("Write with the reply lost = %+v, %v; want the write in a block", rc, err)
	}
	if n := b.Sent(); n != 1 {
		t.Fatalf("%d transactions sent, want 1", n)
	}
	if got, err := a.Read(ctx, rec.ID); err != nil || got.Digest != rec.Digest {
		t.Fatalf("Read = %s, %v; want %s", got.Digest, err, rec.Digest)
	}
}

// A gateway that stopped after sending a write, before recording its
// receipt, submits the record again when it comes back. The new adapter
// (a new process: its own account state) waits for the transaction still
// pending from before, then finds the version written and returns its
// receipt: one transaction in all, where it used to send a second one
// that reverted.
func TestSubmitAfterARestartWaitsForTheEarlierTransaction(t *testing.T) {
	chain, ctx, a := newSubmitChain(t)
	rec := newMaker(t).make()
	policy := adapters.Policy{Disclosure: adapters.DisclosureDigest}

	chain.pause()
	first, err := a.Submit(ctx, rec, policy)
	if err != nil || first.Status != adapters.StatusSubmitted {
		t.Fatalf("Submit = %+v, %v; want it submitted", first, err)
	}
	a.Close() // the gateway stops; its receipt is never recorded

	// The restarted gateway: with the only adapter of the account closed,
	// a new one starts from no account state, as a new process does.
	again, err := ethereum.New(ctx, chain.Client(), ethereum.WithKey(chain.key), ethereum.WithRegistry(a.Registry()), ethereum.WithPollInterval(10*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	type result struct {
		rc  adapters.Receipt
		err error
	}
	res := make(chan result, 1)
	go func() {
		rc, err := again.Submit(ctx, rec, policy)
		res <- result{rc, err}
	}()
	select {
	case r := <-res:
		t.Fatalf("Submit after the restart returned %+v, %v while the first transaction was pending; want it to wait", r.rc, r.err)
	case <-time.After(100 * time.Millisecond): // ten polls
	}
	chain.resume()
	r := <-res
	if r.err != nil || r.rc.TxID != first.TxID || r.rc.Status == adapters.StatusSubmitted {
		t.Fatalf("Submit after the restart = %+v, %v; want the receipt of the first transaction %s", r.rc, r.err, first.TxID)
	}
	if n, err := chain.Client().NonceAt(ctx, chain.from(), nil); err != nil || n != 2 {
		// The deployment and the one write.
		t.Fatalf("the account sent %d transactions (%v), want 2: the registry's deployment and one write", n, err)
	}
}
