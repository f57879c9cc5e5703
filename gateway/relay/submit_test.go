package relay_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"

	"github.com/ledgergate/ledgergate/adapters"
	eth "github.com/ledgergate/ledgergate/adapters/ethereum"
	"github.com/ledgergate/ledgergate/adapters/ethereum/ethtest"
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
	const n = 40
	chain, ctx, ledger := deployedChain(t, nil)
	e, ids, stop := relayPaused(t, chain, ledger, n)
	defer stop()

	// Every write is handed over while no block is made.
	e.awaitDeliveries(t, ids, func(d store.Delivery) bool {
		return d.Receipt != nil && d.Receipt.Status == adapters.StatusSubmitted && d.Receipt.TxID != ""
	}, func(matched int) (bool, string) {
		c, _ := e.store.Counts(ctx)
		return matched == n, fmt.Sprintf("%d of %d writes submitted with 4 workers and no blocks (counts %v)", matched, n, c)
	})

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

// awaitDeliveries polls the deliveries of ids (one each) for up to a
// minute until done, given how many of them satisfy ok, says so; it
// fails the test with done's last message if that does not happen.
func (e *env) awaitDeliveries(t *testing.T, ids []string, ok func(store.Delivery) bool, done func(matched int) (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		matched := 0
		for _, id := range ids {
			if ok(e.delivery(t, id)) {
				matched++
			}
		}
		finished, msg := done(matched)
		if finished {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after a minute: %s", msg)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// When a submission's reply is lost the relay keeps the transaction the
// adapter names (adapters.InFlightError) and follows it, instead of asking
// the registry, finding nothing while the transaction is pending, and
// paying for a second one. With no blocks made, every record is sent once
// and stays submitted through several attempts; once blocks come, each
// lands with its first transaction.
func TestLostSubmitRepliesAreFollowedNotResent(t *testing.T) {
	const n = 10
	var conn *ethtest.LostReplies
	chain, _, ledger := deployedChain(t, func(b eth.Backend) eth.Backend {
		conn = &ethtest.LostReplies{Backend: b}
		return conn
	})
	e, ids, stop := relayPaused(t, chain, ledger, n)
	defer stop()

	// While nothing is mined every delivery holds its transaction's
	// receipt, and no second transaction is sent.
	e.awaitDeliveries(t, ids, func(d store.Delivery) bool {
		return d.State == store.StateSubmitted && d.Receipt != nil && d.Receipt.TxID != "" && d.Attempts >= 1
	}, func(matched int) (bool, string) {
		msg := fmt.Sprintf("%d of %d deliveries follow their transaction; %d transactions sent, want %d", matched, n, conn.Sent(), n)
		if conn.Sent() > n {
			t.Fatal(msg)
		}
		return matched == n && conn.Sent() == n, msg
	})
	time.Sleep(300 * time.Millisecond) // room for many back-offs and confirmation polls with no block
	if s := conn.Sent(); s != n {
		t.Fatalf("%d transactions sent while the first were pending, want %d", s, n)
	}

	chain.Resume()
	if c := e.waitAll(t); c[store.StateConfirmed] != n {
		t.Fatalf("counts = %v, want %d confirmed", c, n)
	}
	if s := conn.Sent(); s != n {
		t.Fatalf("%d transactions sent, want %d (one per record)", s, n)
	}
	for _, id := range ids {
		d := e.delivery(t, id)
		if d.Attempts != 1 || d.Receipt == nil || d.Receipt.Block == 0 {
			t.Fatalf("delivery of %s = attempts %d, receipt %+v; want its first transaction in a block", id, d.Attempts, d.Receipt)
		}
	}
}

// deployedChain starts a chain that seals a block every 20 ms, deploys a
// registry on it and returns an adapter writing to it, through the
// connection wrap makes of the node's client (nil: the client itself).
func deployedChain(t *testing.T, wrap func(eth.Backend) eth.Backend) (*devchain.Chain, context.Context, *eth.Adapter) {
	t.Helper()
	chain, err := devchain.Start(devchain.Options{BlockTime: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { chain.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	opts := []eth.Option{eth.WithKey(chain.Key), eth.WithPollInterval(10 * time.Millisecond)}
	ledger, err := eth.Deploy(ctx, chain.Client(), opts...)
	if err == nil && wrap != nil {
		ledger.Close()
		ledger, err = eth.New(ctx, wrap(chain.Client()), append(opts, eth.WithRegistry(ledger.Registry()))...)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ledger.Close() })
	return chain, ctx, ledger
}

// relayPaused stores n records routed to ledger (digest only), pauses the
// chain's blocks and starts a relay of four workers that looks at
// submitted writes every 20 ms.
func relayPaused(t *testing.T, chain *devchain.Chain, ledger adapters.Adapter, n int) (*env, []string, func()) {
	t.Helper()
	e := newEnvRouting(t, routing.Target{Ledger: "eth", Disclosure: adapters.DisclosureDigest})
	ids := e.submit(t, n)
	chain.Pause()
	stop := run(t, relay.New(e.store, schema.Default(), map[string]adapters.Adapter{"eth": ledger},
		append(fast(), relay.WithConfirmPoll(20*time.Millisecond))...))
	return e, ids, stop
}

// diesAfterSend is a store as a relay that dies right after a send sees
// it: the first outcome it would store after a ledger write (a receipt)
// is lost, and from then on nothing the relay does reaches the store.
type diesAfterSend struct {
	relay.Store
	dead atomic.Bool
}

var errDied = errors.New("the gateway process died")

func (s *diesAfterSend) Claim(ctx context.Context, owner string, n int, lease time.Duration) ([]store.Delivery, error) {
	if s.dead.Load() {
		return nil, nil
	}
	return s.Store.Claim(ctx, owner, n, lease)
}

func (s *diesAfterSend) Progress(ctx context.Context, owner string, d store.Delivery, audit ...store.AuditEntry) error {
	if s.dead.Load() {
		return errDied
	}
	return s.Store.Progress(ctx, owner, d, audit...)
}

func (s *diesAfterSend) Update(ctx context.Context, owner string, d store.Delivery, audit ...store.AuditEntry) error {
	if d.Receipt != nil || s.dead.Load() {
		s.dead.Store(true)
		return errDied
	}
	return s.Store.Update(ctx, owner, d, audit...)
}

// A gateway that dies between sending writes and storing their receipts
// leaves those deliveries submitted with no receipt. The restarted
// gateway's relay takes them once their leases expire and submits them
// again while the first transactions are still pending: the Ethereum
// adapter's first write waits for them (settle.go), finds the versions
// written and stores their receipts. One transaction per record in all.
func TestWritesSentBeforeACrashAreNotSentAgain(t *testing.T) {
	const n = 10
	chain, ctx, first := deployedChain(t, nil)
	e := newEnvRouting(t, routing.Target{Ledger: "eth", Disclosure: adapters.DisclosureDigest})
	e.submit(t, n)
	nonces := func() (mined, pending uint64) {
		t.Helper()
		m, err := chain.Client().NonceAt(ctx, chain.From(), nil)
		if err != nil {
			t.Fatal(err)
		}
		p, err := chain.Client().PendingNonceAt(ctx, chain.From())
		if err != nil {
			t.Fatal(err)
		}
		return m, p
	}
	deployed, _ := nonces()

	chain.Pause()
	dying := &diesAfterSend{Store: e.store}
	stop := run(t, relay.New(dying, schema.Default(), map[string]adapters.Adapter{"eth": first},
		append(fast(), relay.WithLease(time.Second))...))
	for deadline := time.Now().Add(time.Minute); !dying.dead.Load(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the relay stored no receipt within a minute")
		}
	}
	stop()
	first.Close()
	_, pending := nonces()
	sent := pending - deployed
	if sent == 0 {
		t.Fatal("the relay died before sending anything")
	}
	t.Logf("died with %d of %d writes sent and pending", sent, n)

	// The restarted gateway: a new adapter (no account state) and relay.
	// Blocks come again only after its relay could take the deliveries.
	again, err := eth.New(ctx, chain.Client(), eth.WithKey(chain.Key), eth.WithRegistry(first.Registry()), eth.WithPollInterval(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	stop = run(t, relay.New(e.store, schema.Default(), map[string]adapters.Adapter{"eth": again},
		append(fast(), relay.WithConfirmPoll(20*time.Millisecond))...))
	defer stop()
	time.Sleep(1500 * time.Millisecond) // the leases (1 s) expire; the relay submits again
	chain.Resume()
	if c := e.waitAll(t); c[store.StateConfirmed] != n {
		t.Fatalf("counts = %v, want %d confirmed", c, n)
	}
	if mined, _ := nonces(); mined-deployed != n {
		t.Fatalf("the account sent %d write transactions for %d records (%d before the crash); want one per record", mined-deployed, n, sent)
	}
}
