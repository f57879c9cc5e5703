package relay_test

import (
	"context"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"

	"github.com/ledgergate/ledgergate/adapters"
	eth "github.com/ledgergate/ledgergate/adapters/ethereum"
	"github.com/ledgergate/ledgergate/gateway/relay"
	"github.com/ledgergate/ledgergate/gateway/routing"
	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/internal/devchain"
	"github.com/ledgergate/ledgergate/schema"
)

// With an adapter that implements adapters.Submitter the relay hands each
// write over and follows it, so a chain that makes no blocks does not hold
// the workers: four workers submit all forty writes. The node then drops
// every pending transaction; once blocks come again the relay finds them
// gone, submits each once more, and every record lands exactly once.
func TestSubmittedWritesAreFollowedUntilTheyLand(t *testing.T) {
	chain, err := devchain.Start(devchain.Options{BlockTime: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { chain.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ledger, err := eth.Deploy(ctx, chain.Client(), eth.WithKey(chain.Key), eth.WithPollInterval(10*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ledger.Close() })

	e := newEnvRouting(t, routing.Target{Ledger: "eth", Disclosure: adapters.DisclosureDigest})
	const n = 40
	ids := e.submit(t, n)
	chain.Pause()
	stop := run(t, relay.New(e.store, schema.Default(), map[string]adapters.Adapter{"eth": ledger},
		append(fast(), relay.WithConfirmPoll(20*time.Millisecond))...))
	defer stop()

	// Every write is handed over while no block is made.
	deadline := time.Now().Add(time.Minute)
	for {
		pending := 0
		for _, id := range ids {
			if d := e.delivery(t, id); d.Receipt == nil || d.Receipt.Status != adapters.StatusSubmitted || d.Receipt.TxID == "" {
				pending++
			}
		}
		if pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			c, _ := e.store.Counts(ctx)
			t.Fatalf("%d of %d writes not submitted within a minute with 4 workers and no blocks (counts %v)", pending, n, c)
		}
		time.Sleep(10 * time.Millisecond)
	}

	chain.Rollback() // the node's pool drops every pending transaction
	chain.Resume()
	if c := e.waitAll(t); c[store.StateConfirmed] != n {
		t.Fatalf("counts = %v, want %d confirmed", c, n)
	}
	for _, id := range ids {
		d := e.delivery(t, id)
		if d.Attempts != 2 || d.Receipt == nil || d.Receipt.Status != adapters.StatusConfirmed {
			t.Fatalf("delivery of %s = attempts %d, receipt %+v; want confirmed at the second submission", id, d.Attempts, d.Receipt)
		}
		if got, err := ledger.Read(ctx, id); err != nil || got.Digest != d.Digest {
			t.Fatalf("Read(%s) = %s, %v; want %s", id, got.Digest, err, d.Digest)
		}
	}
	logs, err := chain.Client().FilterLogs(ctx, ethereum.FilterQuery{
		Addresses: []common.Address{ledger.Registry()},
		Topics:    [][]common.Hash{{eth.RecordWrittenTopic()}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(logs) != n {
		t.Fatalf("the registry logged %d writes, want %d (one per record)", len(logs), n)
	}
}

// delivery returns the (only) delivery of a record.
func (e *env) delivery(t *testing.T, id string) store.Delivery {
	t.Helper()
	r, err := e.store.Record(context.Background(), id)
	if err != nil || len(r.Deliveries) != 1 {
		t.Fatalf("Record(%s) = %d deliveries, %v", id, len(r.Deliveries), err)
	}
	return r.Deliveries[0]
}
