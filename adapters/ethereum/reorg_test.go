package ethereum_test

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/ethereum"
	"github.com/ledgergate/ledgergate/internal/anvil"
)

// watchInto runs a watch from the start in the background.
func watchInto(t *testing.T, ctx context.Context, a *ethereum.Adapter) <-chan adapters.Event {
	t.Helper()
	events := make(chan adapters.Event, 64)
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev, err := range a.Watch(ctx, "") {
			if errors.Is(err, adapters.ErrClosed) {
				return // the test closed the adapter before its cleanup stopped the watch
			}
			if err != nil {
				t.Errorf("watch: %v", err)
				return
			}
			select {
			case events <- ev:
			case <-ctx.Done():
				return
			}
		}
	}()
	t.Cleanup(func() { cancel(); <-done })
	return events
}

// TestReorgSimulated forks the simulated chain below a write: the watcher
// retracts the write, then delivers it again when the new chain re-includes
// its transaction; the adapter keeps writing afterwards.
func TestReorgSimulated(t *testing.T) {
	chain := newSimChain(t, 20*time.Millisecond)
	ctx := testCtx(t, 2*time.Minute)
	c := chain.Client()
	a, err := ethereum.Deploy(ctx, c, ethereum.WithKey(chain.key), ethereum.WithPollInterval(10*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	events := watchInto(t, ctx, a)
	m := newMaker(t)
	rec := m.make()
	rc, err := a.Write(ctx, rec, full)
	if err != nil {
		t.Fatal(err)
	}
	first := expectEvent(t, events, adapters.EventWritten, rec.ID)
	if first.Receipt.BlockHash != rc.BlockHash {
		t.Fatalf("event block %s, receipt block %s", first.Receipt.BlockHash, rc.BlockHash)
	}

	chain.pause()
	parent, err := c.HeaderByNumber(ctx, new(big.Int).SetUint64(rc.Block-1))
	if err != nil {
		t.Fatal(err)
	}
	if err := chain.Fork(parent.Hash()); err != nil {
		t.Fatal(err)
	}
	chain.resume() // the new chain grows from the fork point and re-includes the transaction

	retracted := expectEvent(t, events, adapters.EventRetracted, rec.ID)
	if retracted.Receipt.TxID != rc.TxID || retracted.Receipt.BlockHash != rc.BlockHash {
		t.Fatalf("retracted %+v, want the original write %+v", retracted.Receipt, rc)
	}
	again := expectEvent(t, events, adapters.EventWritten, rec.ID)
	if again.Receipt.TxID != rc.TxID || again.Receipt.BlockHash == rc.BlockHash {
		t.Fatalf("re-included write: tx %s block %s; first tx %s block %s", again.Receipt.TxID, again.Receipt.BlockHash, rc.TxID, rc.BlockHash)
	}
	if got, err := a.Receipt(ctx, rec.ID, rec.Digest); err != nil || got.BlockHash != again.Receipt.BlockHash {
		t.Fatalf("Receipt after reorg = %+v, %v; want block %s", got, err, again.Receipt.BlockHash)
	}
	if v, err := a.Verify(ctx, rc); err != nil || v.OK {
		t.Fatalf("Verify(receipt from the orphaned block) = %+v, %v; want not OK", v, err)
	}
	next := m.make()
	if _, err := a.Write(ctx, next, digest); err != nil {
		t.Fatalf("Write after reorg: %v", err)
	}
	expectEvent(t, events, adapters.EventWritten, next.ID)
}

// TestReorgAnvil reorganises anvil's chain with anvil_reorg below two
// writes, re-including only the first: both are retracted, the first is
// delivered again, the second is gone until written again.
func TestReorgAnvil(t *testing.T) {
	n := startAnvil(t, anvilOptions())
	ctx := testCtx(t, 2*time.Minute)
	c := dialAnvil(t, n)
	a, err := ethereum.New(ctx, c, anvilRegistry(t, ctx, n, c)...)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	events := watchInto(t, ctx, a)
	m := newMaker(t)
	recA, recB := m.make(), m.make()
	rcA, err := a.Write(ctx, recA, full)
	if err != nil {
		t.Fatal(err)
	}
	rcB, err := a.Write(ctx, recB, redacted)
	if err != nil {
		t.Fatal(err)
	}
	expectEvent(t, events, adapters.EventWritten, recA.ID)
	expectEvent(t, events, adapters.EventWritten, recB.ID)

	var rawA hexutil.Bytes
	if err := n.Call(ctx, &rawA, "eth_getRawTransactionByHash", common.HexToHash(rcA.TxID)); err != nil {
		t.Fatal(err)
	}
	head, err := c.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	depth := head - rcA.Block + 1
	if err := n.Call(ctx, nil, "anvil_reorg", depth, []any{[]any{rawA, 0}}); err != nil {
		t.Fatalf("anvil_reorg: %v", err)
	}
	// Newest first: B, then A; then A again from its new block.
	expectEvent(t, events, adapters.EventRetracted, recB.ID)
	expectEvent(t, events, adapters.EventRetracted, recA.ID)
	again := expectEvent(t, events, adapters.EventWritten, recA.ID)
	if again.Receipt.TxID != rcA.TxID || again.Receipt.BlockHash == rcA.BlockHash {
		t.Fatalf("re-included A: %+v; first %+v", again.Receipt, rcA)
	}
	if _, err := a.Receipt(ctx, recB.ID, recB.Digest); err == nil {
		t.Fatalf("B is still on chain after the reorg dropped it")
	}
	if v, err := a.Verify(ctx, rcB); err != nil || v.OK {
		t.Fatalf("Verify(dropped B) = %+v, %v; want not OK", v, err)
	}
	// The adapter's nonce was ahead of the chain; writing B again works.
	rcB2, err := a.Write(ctx, recB, redacted)
	if err != nil {
		t.Fatalf("rewrite B after reorg: %v", err)
	}
	if rcB2.TxID == rcB.TxID {
		t.Fatalf("B rewritten with the dropped transaction %s", rcB.TxID)
	}
	expectEvent(t, events, adapters.EventWritten, recB.ID)
}

func anvilOptions() anvil.Options { return anvil.Options{} }
