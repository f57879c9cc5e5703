package node_test

import (
	"sync"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters/factom/node"
	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
)

// fakeClock is a settable clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// With a block time, an entry block closes each minute (a tenth of the
// block time) that had entries with its marker, and the entries' times
// follow, as in factomd. The clock is fake and blocks are sealed by hand,
// so nothing depends on timing.
func TestMinuteMarkers(t *testing.T) {
	ctx := testCtx(t)
	clk := &fakeClock{t: time.Now()}
	n := open(t, t.TempDir(), node.WithBlockTime(time.Hour), node.WithClock(clk.now))
	c := serve(t, n)
	key := node.DevKey()
	first := protocol.NewChainEntry(nil, []byte("minutes"))
	publishChain(t, ctx, c, key, first, clk.now())
	if err := n.Seal(); err != nil {
		t.Fatal(err)
	}
	var es []*protocol.Entry
	for i, step := range []time.Duration{0, 7 * time.Minute, 18 * time.Minute} { // minutes 0, 1, 4
		clk.add(step)
		e := &protocol.Entry{ChainID: first.ChainID, Content: []byte{byte(i)}}
		publishEntry(t, ctx, c, key, e, clk.now())
		es = append(es, e)
	}
	if err := n.Seal(); err != nil {
		t.Fatal(err)
	}
	r, err := c.Receipt(ctx, es[2].Hash())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Verify(es[2].Hash()); err != nil {
		t.Fatal(err)
	}
	raw, err := c.RawData(ctx, *r.EntryBlockKeyMR)
	if err != nil {
		t.Fatal(err)
	}
	eb, err := protocol.UnmarshalEBlock(raw)
	if err != nil {
		t.Fatal(err)
	}
	want := []protocol.Hash{es[0].Hash(), protocol.MinuteMarker(1), es[1].Hash(), protocol.MinuteMarker(2), es[2].Hash(), protocol.MinuteMarker(5)}
	if len(eb.Body) != len(want) {
		t.Fatalf("entry block body has %d items, want %d", len(eb.Body), len(want))
	}
	for i := range want {
		if eb.Body[i] != want[i] {
			t.Fatalf("entry block item %d is %s, want %s", i, eb.Body[i], want[i])
		}
	}
	ans, err := c.EntryBlock(ctx, *r.EntryBlockKeyMR)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range []int64{1, 2, 5} {
		if d := ans.EntryList[i].Timestamp - ans.Header.Timestamp; d != 60*m {
			t.Errorf("entry %d is at block time + %d s, want + %d", i, d, 60*m)
		}
	}
}

// With a block time, blocks keep coming on the clock, empty or not.
func TestBlocksOnTheClock(t *testing.T) {
	n := open(t, t.TempDir(), node.WithBlockTime(20*time.Millisecond))
	h := n.Height()
	for n.Height() < h+3 {
		select {
		case <-n.Changed():
		case <-testCtx(t).Done():
			t.Fatalf("height stays at %d", n.Height())
		}
	}
}

// Accepted commits and reveals are logged before they are answered: a
// node restarted before sealing them seals them into its next block.
func TestRestartKeepsPending(t *testing.T) {
	ctx := testCtx(t)
	dir := t.TempDir()
	n := open(t, dir, node.WithBlockTime(time.Hour))
	c := serve(t, n)
	key := node.DevKey()
	first := protocol.NewChainEntry([]byte("pending"), []byte("pending"))
	publishChain(t, ctx, c, key, first, time.Now())
	bal := n.ECBalance(key.Public())
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
	n2 := open(t, dir, node.WithBlockTime(time.Hour))
	if n2.ECBalance(key.Public()) != bal {
		t.Fatalf("balance after restart %d, before %d", n2.ECBalance(key.Public()), bal)
	}
	if err := n2.Seal(); err != nil {
		t.Fatal(err)
	}
	c2 := serve(t, n2)
	if _, err := c2.Receipt(ctx, first.Hash()); err != nil {
		t.Fatalf("the pending chain was lost in the restart: %v", err)
	}
}
