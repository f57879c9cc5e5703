// Package node is ledgergate's embedded Factom-protocol node: a
// single-server Factom ledger with factomd's binary layouts and hashes
// (entries, chains, entry blocks, directory blocks, entry-credit, admin and
// factoid blocks), commit/reveal paid with ed25519-signed entry credits,
// receipts, and the factomd v2 JSON-RPC subset that clients use.
//
// It keeps the ledger in memory and its inputs in an append-only, fsynced
// log in a directory, replayed on start, so a restarted node holds
// exactly the blocks it had. Blocks are sealed on a timer, or at once after
// each reveal ("instant" blocks, the default, for tests and development).
//
//	n, err := node.New(dir, node.WithDevKey())
//	...
//	go n.Serve(ctx, listener) // http://listener/v2
package node

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
)

// ErrClosed is returned after Close.
var ErrClosed = errors.New("node: closed")

// Node is an embedded Factom-protocol node. It is safe for concurrent use.
type Node struct {
	o options

	mu      sync.Mutex
	st      *state
	w       *wal
	changed chan struct{} // closed and replaced after every sealed block
	closed  bool
	failed  error // a log append failed: the node refuses writes

	kick chan struct{}
	quit chan struct{}
	done chan struct{}
}

// New opens the ledger in dir (creating it, with a genesis block and the
// configured funding, if dir holds none) and starts sealing blocks.
func New(dir string, opts ...Option) (*Node, error) {
	o := defaults()
	for _, f := range opts {
		f(&o)
	}
	n := &Node{o: o, st: newState(), changed: make(chan struct{}), kick: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{})}
	records := 0
	w, err := openWAL(dir, o.noSync, func(rec []byte) error {
		records++
		return n.st.replay(rec)
	})
	if err != nil {
		return nil, err
	}
	n.w = w
	if records == 0 || len(n.st.dblocks) == 0 {
		if err := n.create(records == 0); err != nil {
			w.close()
			return nil, err
		}
	}
	n.st.blockStart = o.clock()
	go n.run()
	return n, nil
}

// create writes a new ledger's header, funding and genesis block.
func (n *Node) create(fresh bool) error {
	if fresh {
		n.st.network, n.st.rate = n.o.network, n.o.rate
		if err := n.w.write(headerRecord(n.o.network, n.o.rate)); err != nil {
			return err
		}
		for pub, credits := range n.o.funds {
			if err := n.w.write(fundRecord(pub, credits)); err != nil {
				return err
			}
			n.st.balances[pub] += int64(credits)
		}
	}
	return n.sealLocked(n.o.clock())
}

// Close stops the node and closes its log. It is idempotent.
func (n *Node) Close() error {
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		return nil
	}
	n.closed = true
	close(n.quit)
	n.mu.Unlock()
	<-n.done
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.w.close()
}

func (n *Node) run() {
	defer close(n.done)
	var tick <-chan time.Time
	if n.o.blockTime > 0 {
		t := time.NewTicker(n.o.blockTime)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-n.quit:
			return
		case <-n.kick:
			n.mu.Lock()
			if len(n.st.pendingReveals) > 0 && !n.closed {
				_ = n.sealLocked(n.o.clock())
			}
			n.mu.Unlock()
		case <-tick:
			_ = n.Seal()
		}
	}
}

// Seal seals the pending commits and reveals into a new directory block
// now, even an empty one.
func (n *Node) Seal() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if err := n.writable(); err != nil {
		return err
	}
	return n.sealLocked(n.o.clock())
}

func (n *Node) writable() error {
	switch {
	case n.closed:
		return ErrClosed
	case n.failed != nil:
		return n.failed
	}
	return nil
}

// sealLocked builds, logs and installs the next block.
func (n *Node) sealLocked(now time.Time) error {
	ts := uint32(now.Unix() / 60)
	b := n.st.build(ts)
	// The seal is durable (and with it every record before it) before the
	// block becomes visible.
	if err := n.w.write(sealRecord(ts, b.keyMR)); err != nil {
		n.failed = fmt.Errorf("node: the ledger log failed; restart the node: %w", err)
		return n.failed
	}
	n.st.install(b, ts)
	n.st.blockStart = now
	close(n.changed)
	n.changed = make(chan struct{})
	return nil
}

// minute returns the minute of the block being built (0..9) at now.
func (n *Node) minute(now time.Time) byte {
	if n.o.blockTime <= 0 {
		return 0
	}
	m := int64(now.Sub(n.st.blockStart) * 10 / n.o.blockTime)
	return byte(max(0, min(m, 9)))
}

// Height returns the height of the last sealed directory block.
func (n *Node) Height() int64 {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.st.height()
}

// ECBalance returns the entry-credit balance of pub.
func (n *Node) ECBalance(pub protocol.ECPublic) int64 {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.st.balances[pub]
}

// Fund credits pub with entry credits (development mode: there is no
// factoid ledger to buy them with). The funding is logged.
func (n *Node) Fund(pub protocol.ECPublic, credits uint64) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if err := n.writable(); err != nil {
		return err
	}
	if err := n.w.write(fundRecord(pub, credits)); err != nil {
		return err
	}
	n.st.balances[pub] += int64(credits)
	return nil
}

// Changed returns a channel closed when the next block is sealed.
func (n *Node) Changed() <-chan struct{} {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.changed
}

// submitCommit checks and applies a commit-chain or commit-entry message.
func (n *Node) submitCommit(msg []byte, chain bool) (protocol.CommitResponse, *protocol.RPCError) {
	bad := errInvalidCommitEntry
	if chain {
		bad = errInvalidCommitChain
	}
	c, err := parseCommit(msg, chain)
	if err != nil {
		return protocol.CommitResponse{}, bad()
	}
	if chain {
		err = c.chain.Verify()
	} else {
		err = c.entry.Verify()
	}
	if err != nil {
		return protocol.CommitResponse{}, bad()
	}
	now := n.o.clock()
	if d := now.Sub(time.UnixMilli(int64(c.milli))); d > protocol.CommitWindow || d < -protocol.CommitWindow {
		return protocol.CommitResponse{}, errInvalidParamsData(fmt.Sprintf("%s: the commit's time is more than 12 hours from the node's", bad().Data))
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if err := n.writable(); err != nil {
		return protocol.CommitResponse{}, errInternal(err.Error())
	}
	if e := n.st.checkCommit(c); e != nil {
		return protocol.CommitResponse{}, e
	}
	minute := n.minute(now)
	off, err := n.w.append(commitRecord(c, minute))
	if err != nil {
		return protocol.CommitResponse{}, errInternal(err.Error())
	}
	n.st.applyCommit(c, minute)
	n.mu.Unlock()
	err = n.w.sync(off) // answer only once the commit is durable
	n.mu.Lock()
	if err != nil {
		n.failed = fmt.Errorf("node: the ledger log failed; restart the node: %w", err)
		return protocol.CommitResponse{}, errInternal(err.Error())
	}
	r := protocol.CommitResponse{TxID: c.txID.String(), EntryHash: c.entryHash.String()}
	if chain {
		r.Message = "Chain Commit Success"
		r.ChainIDHash = c.chain.ChainIDHash.String()
	} else {
		r.Message = "Entry Commit Success"
	}
	return r, nil
}

// submitReveal checks and applies a reveal-entry (or reveal-chain) entry.
func (n *Node) submitReveal(raw []byte) (protocol.RevealResponse, *protocol.RPCError) {
	e, err := protocol.UnmarshalEntry(raw)
	if err != nil || e.Validate() != nil {
		return protocol.RevealResponse{}, errInvalidEntry()
	}
	raw, _ = e.MarshalBinary() // canonical form
	eh := protocol.EntryHash(raw)
	resp := protocol.RevealResponse{Message: "Entry Reveal Success", EntryHash: eh.String(), ChainID: e.ChainID.String()}
	n.mu.Lock()
	defer n.mu.Unlock()
	if err := n.writable(); err != nil {
		return protocol.RevealResponse{}, errInternal(err.Error())
	}
	if n.st.entries[eh] != nil {
		return resp, nil // already revealed: nothing to do
	}
	if e := n.st.checkReveal(e, eh); e != nil {
		return protocol.RevealResponse{}, e
	}
	minute := n.minute(n.o.clock())
	off, err := n.w.append(revealRecord(raw, minute))
	if err != nil {
		return protocol.RevealResponse{}, errInternal(err.Error())
	}
	n.st.applyReveal(e, raw, eh, minute)
	n.mu.Unlock()
	err = n.w.sync(off) // answer only once the reveal is durable
	n.mu.Lock()
	if err != nil {
		n.failed = fmt.Errorf("node: the ledger log failed; restart the node: %w", err)
		return protocol.RevealResponse{}, errInternal(err.Error())
	}
	if n.o.blockTime <= 0 {
		select {
		case n.kick <- struct{}{}:
		default:
		}
	}
	return resp, nil
}
