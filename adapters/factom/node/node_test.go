package node_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters/factom/client"
	"github.com/ledgergate/ledgergate/adapters/factom/node"
	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
)

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// serve starts n's API on a free 127.0.0.1 port and returns a client.
func serve(t *testing.T, n *node.Node) *client.Client {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- n.Serve(ctx, l) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return client.New("http://" + l.Addr().String())
}

func open(t *testing.T, dir string, opts ...node.Option) *node.Node {
	t.Helper()
	n, err := node.New(dir, append([]node.Option{node.WithDevKey()}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = n.Close() })
	return n
}

// waitConfirmed polls ack until the entry is in a directory block.
func waitConfirmed(t *testing.T, ctx context.Context, c *client.Client, eh protocol.Hash, chain protocol.Hash) {
	t.Helper()
	for {
		st, err := c.Ack(ctx, eh.String(), chain.String())
		if err != nil {
			t.Fatal(err)
		}
		if st.EntryData.Status == protocol.AckDBlockConfirmed {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("entry %s not confirmed: %+v", eh, st)
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// publishChain commits and reveals the first entry of a new chain, signed
// at time at.
func publishChain(t *testing.T, ctx context.Context, c *client.Client, key protocol.ECKey, first *protocol.Entry, at time.Time) {
	t.Helper()
	cc, err := protocol.NewCommitChain(first, key, at)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CommitChain(ctx, cc); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RevealChain(ctx, first); err != nil {
		t.Fatal(err)
	}
}

// publishEntry commits and reveals an entry, signed at time at.
func publishEntry(t *testing.T, ctx context.Context, c *client.Client, key protocol.ECKey, e *protocol.Entry, at time.Time) {
	t.Helper()
	ce, err := protocol.NewCommitEntry(e, key, at)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CommitEntry(ctx, ce); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RevealEntry(ctx, e); err != nil {
		t.Fatal(err)
	}
}

// writeChain creates a chain and adds entries to it; it returns the
// entries (first entry first).
func writeChain(t *testing.T, ctx context.Context, c *client.Client, key protocol.ECKey, name string, contents ...string) []*protocol.Entry {
	t.Helper()
	first := protocol.NewChainEntry([]byte("first"), []byte("ledgergate-test"), []byte(name))
	publishChain(t, ctx, c, key, first, time.Now())
	out := []*protocol.Entry{first}
	for _, s := range contents {
		e := &protocol.Entry{ChainID: first.ChainID, ExtIDs: [][]byte{[]byte("x")}, Content: []byte(s)}
		publishEntry(t, ctx, c, key, e, time.Now())
		out = append(out, e)
	}
	for _, e := range out {
		waitConfirmed(t, ctx, c, e.Hash(), e.ChainID)
	}
	return out
}

func TestCommitRevealReceipt(t *testing.T) {
	ctx := testCtx(t)
	n := open(t, t.TempDir())
	c := serve(t, n)
	key := node.DevKey()
	before, err := c.ECBalance(ctx, key.Public())
	if err != nil {
		t.Fatal(err)
	}
	es := writeChain(t, ctx, c, key, "receipts", "one", "two")
	after, _ := c.ECBalance(ctx, key.Public())
	if spent := before - after; spent != 13 {
		t.Errorf("spent %d credits for a chain and two entries; want 11+1+1", spent)
	}
	for _, e := range es {
		got, err := c.Entry(ctx, e.Hash())
		if err != nil {
			t.Fatal(err)
		}
		if got.Hash() != e.Hash() {
			t.Fatalf("entry read back hashes to %s, want %s", got.Hash(), e.Hash())
		}
		r, err := c.Receipt(ctx, e.Hash())
		if err != nil {
			t.Fatal(err)
		}
		cid, err := r.Verify(e.Hash())
		if err != nil {
			t.Fatalf("receipt of %s: %v", e.Hash(), err)
		}
		if cid != e.ChainID {
			t.Errorf("receipt proves chain %s, want %s", cid, e.ChainID)
		}
		db, err := c.DBlockByHeight(ctx, int64(r.DirectoryBlockHeight), true)
		if err != nil {
			t.Fatal(err)
		}
		if db.DBlock.KeyMR != r.DirectoryBlockKeyMR.String() {
			t.Errorf("receipt names directory block %s; height %d is %s", r.DirectoryBlockKeyMR, r.DirectoryBlockHeight, db.DBlock.KeyMR)
		}
	}
	head, err := c.ChainHead(ctx, es[0].ChainID)
	if err != nil || head.ChainHead == "" {
		t.Fatalf("chain-head = %+v, %v", head, err)
	}
}

func TestErrors(t *testing.T) {
	ctx := testCtx(t)
	n := open(t, t.TempDir())
	c := serve(t, n)
	var zero protocol.Hash
	cases := []struct {
		name   string
		call   func() error
		code   int
		prefix string
	}{
		{"method", func() error { return c.Call(ctx, "no-such-method", nil, nil) }, -32601, "Method not found"},
		{"entry", func() error { _, err := c.Entry(ctx, zero); return err }, -32008, "Entry not found"},
		{"chain-head", func() error { _, err := c.ChainHead(ctx, zero); return err }, -32009, "Missing Chain Head"},
		{"receipt", func() error { _, err := c.Receipt(ctx, zero); return err }, -32010, "Receipt creation error"},
		{"entry-block", func() error { _, err := c.EntryBlock(ctx, zero); return err }, -32008, "Block not found"},
		{"dblock", func() error { _, err := c.DBlockByHeight(ctx, 99, false); return err }, -32008, "Block not found"},
		{"commit", func() error {
			return c.Call(ctx, "commit-entry", protocol.MessageRequest{Message: "00"}, nil)
		}, -32602, "Invalid params"},
	}
	for _, tc := range cases {
		err := tc.call()
		var e *protocol.RPCError
		if !errors.As(err, &e) || e.Code != tc.code || e.Message != tc.prefix {
			t.Errorf("%s: %v, want %d %s", tc.name, err, tc.code, tc.prefix)
		}
	}
}

func TestRestartKeepsLedger(t *testing.T) {
	ctx := testCtx(t)
	dir := t.TempDir()
	n := open(t, dir)
	c := serve(t, n)
	key := node.DevKey()
	es := writeChain(t, ctx, c, key, "durable", "a", "b", "c")
	h := n.Height()
	bal := n.ECBalance(key.Public())
	db1, _ := c.DBlockByHeight(ctx, h, false)
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
	// A torn record at the end (a crash mid-append) is cut off.
	f, err := os.OpenFile(filepath.Join(dir, "factom.log"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte{0, 0, 1, 0, 9, 9})
	f.Close()

	n2 := open(t, dir)
	c2 := serve(t, n2)
	if n2.Height() != h || n2.ECBalance(key.Public()) != bal {
		t.Fatalf("after restart: height %d balance %d; before: %d %d", n2.Height(), n2.ECBalance(key.Public()), h, bal)
	}
	db2, err := c2.DBlockByHeight(ctx, h, false)
	if err != nil || db2.DBlock.KeyMR != db1.DBlock.KeyMR {
		t.Fatalf("block %d after restart: %v %v; before %s", h, db2, err, db1.DBlock.KeyMR)
	}
	for _, e := range es {
		if _, err := c2.Receipt(ctx, e.Hash()); err != nil {
			t.Fatalf("receipt after restart: %v", err)
		}
	}
	// The restarted node keeps extending the same chain.
	more := &protocol.Entry{ChainID: es[0].ChainID, Content: []byte("after restart")}
	publishEntry(t, ctx, c2, key, more, time.Now())
	waitConfirmed(t, ctx, c2, more.Hash(), more.ChainID)
}
