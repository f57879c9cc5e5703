package ethereum_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/ethereum"
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

// The same version submitted twice (by two gateways, or again after a
// crash) is two transactions; the registry keeps the first and Track of
// either reports that one.
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
