package ethereum

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/ledgergate/ledgergate/adapters"
)

// Watch yields the registry's RecordWritten events after the checkpoint, in
// chain order, then polls for new ones. The empty checkpoint starts at the
// start block (WithStartBlock; Deploy sets the deployment block).
//
// Watch follows reorganisations within the reorg window: when blocks it
// delivered events from leave the canonical chain, it yields those events
// again as adapters.EventRetracted (newest first), each carrying the
// checkpoint of the last block still canonical, and then yields the
// events of the new canonical blocks, including re-included writes, as
// adapters.EventWritten. Node errors (a node restarting) are retried with
// back-off; the stream ends when ctx is cancelled, or with ErrClosed.
//
// A checkpoint names a block hash. If that block was reorganised away
// while nobody watched, Watch restarts at that height; retractions of
// events delivered before the checkpoint cannot be reported then. Storing
// only checkpoints of confirmed events (Receipt.Status) avoids this.
func (a *Adapter) Watch(ctx context.Context, from adapters.Checkpoint) iter.Seq2[adapters.Event, error] {
	return func(yield func(adapters.Event, error) bool) {
		if a.closed() {
			yield(adapters.Event{}, adapters.ErrClosed)
			return
		}
		pos, ok, err := parseCheckpoint(from)
		if err != nil {
			yield(adapters.Event{}, err)
			return
		}
		w := &watcher{a: a, next: a.cfg.startBlock}
		if ok {
			w.resume = &pos
		}
		w.run(ctx, yield)
	}
}

// seenBlock is a recent block the watcher delivered events from.
type seenBlock struct {
	num    uint64
	hash   common.Hash
	events []adapters.Event
}

type watcher struct {
	a        *Adapter
	resume   *position // checkpoint still to be checked against the chain
	next     uint64    // next block to scan
	skipping bool      // skip logs of block skipBlock below skipNext
	skipBlock,
	skipNext uint64
	hasTip  bool // tipNum/tipHash: the last scanned block
	tipNum  uint64
	tipHash common.Hash
	blocks  []seenBlock // ascending; within the reorg window
	final   uint64      // blocks up to here left the window: never rescanned
}

// errStop: the consumer stopped the iteration.
var errStop = errors.New("stop")

func (w *watcher) run(ctx context.Context, yield func(adapters.Event, error) bool) {
	poll := w.a.cfg.poll
	wait := poll
	for {
		if ctx.Err() != nil {
			return
		}
		if w.a.closed() {
			yield(adapters.Event{}, adapters.ErrClosed)
			return
		}
		progressed, err := w.step(ctx, yield)
		switch {
		case errors.Is(err, errStop):
			return
		case err != nil:
			wait = min(wait*2, max(5*time.Second, poll)) // node down: back off, retry
		case progressed:
			wait = poll
			continue
		default:
			wait = poll
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-w.a.done:
			t.Stop()
		case <-t.C:
		}
	}
}

func (w *watcher) header(ctx context.Context, n uint64) (*types.Header, error) {
	return w.a.b.HeaderByNumber(ctx, new(big.Int).SetUint64(n))
}

// canonical reports whether block n has hash h; err only for node errors.
func (w *watcher) canonical(ctx context.Context, n uint64, h common.Hash) (bool, error) {
	hdr, err := w.header(ctx, n)
	if errors.Is(err, ethereum.NotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return hdr.Hash() == h, nil
}

// start applies a resume checkpoint once the chain can be asked about it.
func (w *watcher) start(ctx context.Context) error {
	p := w.resume
	ok, err := w.canonical(ctx, p.Block, p.Hash)
	if err != nil {
		return err
	}
	w.resume = nil
	if !ok { // reorganised while nobody watched: restart at that height
		w.next = p.Block
		return nil
	}
	w.hasTip, w.tipNum, w.tipHash = true, p.Block, p.Hash
	w.blocks = []seenBlock{{num: p.Block, hash: p.Hash}}
	if p.Next == allLogs {
		w.next = p.Block + 1
	} else {
		w.next, w.skipping, w.skipBlock, w.skipNext = p.Block, true, p.Block, p.Next
	}
	return nil
}

// step scans one range of blocks; progressed is true if it may be worth
// scanning again at once.
func (w *watcher) step(ctx context.Context, yield func(adapters.Event, error) bool) (progressed bool, err error) {
	if w.resume != nil {
		if err := w.start(ctx); err != nil {
			return false, err
		}
	}
	head, err := w.a.b.BlockNumber(ctx)
	if err != nil {
		return false, err
	}
	if w.hasTip {
		ok, err := w.canonical(ctx, w.tipNum, w.tipHash)
		if err != nil {
			return false, err
		}
		if !ok {
			return true, w.reorg(ctx, yield)
		}
	}
	if w.next > head {
		return false, nil
	}
	to := min(head, w.next+w.a.cfg.logRange-1)
	before, err := w.header(ctx, to)
	if err != nil {
		return false, err
	}
	logs, err := w.a.b.FilterLogs(ctx, ethereum.FilterQuery{
		FromBlock: new(big.Int).SetUint64(w.next), ToBlock: new(big.Int).SetUint64(to),
		Addresses: []common.Address{w.a.cfg.registry},
		Topics:    [][]common.Hash{{RecordWrittenTopic()}},
	})
	if err != nil {
		return false, err
	}
	// The logs are of one chain only if block `to` (and so every block
	// below it) did not change while they were read, and the chain still
	// extends the last scanned block.
	if ok, err := w.canonical(ctx, to, before.Hash()); err != nil || !ok {
		return true, err
	}
	if w.hasTip {
		if ok, err := w.canonical(ctx, w.tipNum, w.tipHash); err != nil || !ok {
			return true, err
		}
	}
	window := w.a.cfg.reorgWindow
	for _, lg := range logs {
		if lg.Removed || (w.skipping && lg.BlockNumber == w.skipBlock && uint64(lg.Index) < w.skipNext) {
			continue
		}
		ev, err := w.a.eventOf(lg, head)
		if err != nil {
			yield(adapters.Event{}, err)
			return false, errStop
		}
		if lg.BlockNumber+window > head {
			if n := len(w.blocks); n > 0 && w.blocks[n-1].num == lg.BlockNumber {
				w.blocks[n-1].events = append(w.blocks[n-1].events, ev)
			} else {
				w.blocks = append(w.blocks, seenBlock{num: lg.BlockNumber, hash: lg.BlockHash, events: []adapters.Event{ev}})
			}
		}
		if !yield(ev, nil) {
			return false, errStop
		}
	}
	w.skipping = false
	w.hasTip, w.tipNum, w.tipHash = true, to, before.Hash()
	w.next = to + 1
	for len(w.blocks) > 1 && w.blocks[0].num+window <= head {
		w.final = max(w.final, w.blocks[0].num)
		w.blocks = w.blocks[1:]
	}
	return to < head, nil
}

// reorg handles a change of the last scanned block: it finds the newest
// delivered block still canonical, retracts every event delivered after
// it and rewinds the scan to just after it.
func (w *watcher) reorg(ctx context.Context, yield func(adapters.Event, error) bool) error {
	anchor := -1
	for i := len(w.blocks) - 1; i >= 0; i-- {
		ok, err := w.canonical(ctx, w.blocks[i].num, w.blocks[i].hash)
		if err != nil {
			return err
		}
		if ok {
			anchor = i
			break
		}
	}
	var cp adapters.Checkpoint
	if anchor >= 0 {
		b := w.blocks[anchor]
		w.next, w.hasTip, w.tipNum, w.tipHash = b.num+1, true, b.num, b.hash
		cp = position{Block: b.num, Next: allLogs, Hash: b.hash}.Checkpoint()
	} else {
		start := w.a.cfg.startBlock
		if w.tipNum+1 > w.a.cfg.reorgWindow {
			start = max(start, w.tipNum+1-w.a.cfg.reorgWindow)
		}
		if w.final > 0 {
			start = max(start, w.final+1)
		}
		w.next, w.hasTip = start, false
		if start > 0 {
			hdr, err := w.header(ctx, start-1)
			if err != nil {
				return err
			}
			w.hasTip, w.tipNum, w.tipHash = true, start-1, hdr.Hash()
			cp = position{Block: start - 1, Next: allLogs, Hash: hdr.Hash()}.Checkpoint()
		}
	}
	gone := w.blocks[anchor+1:]
	w.blocks = w.blocks[:anchor+1]
	w.skipping = false
	for i := len(gone) - 1; i >= 0; i-- {
		for j := len(gone[i].events) - 1; j >= 0; j-- {
			ev := gone[i].events[j]
			ev.Kind = adapters.EventRetracted
			ev.Checkpoint = cp
			ev.Receipt.Confirmations = 0
			if !yield(ev, nil) {
				return errStop
			}
		}
	}
	return nil
}

// eventOf decodes a RecordWritten log.
func (a *Adapter) eventOf(lg types.Log, head uint64) (adapters.Event, error) {
	ev, err := a.contract.UnpackRecordWrittenEvent(&lg)
	if err != nil {
		return adapters.Event{}, fmt.Errorf("ethereum: decode log %d of block %d: %w", lg.Index, lg.BlockNumber, err)
	}
	conf := max(head, lg.BlockNumber) - lg.BlockNumber + 1
	status := adapters.StatusCommitted
	if conf >= a.cfg.confirmations {
		status = adapters.StatusConfirmed
	}
	proof, _ := json.Marshal(Proof{ChainID: a.chainID.String(), Registry: a.cfg.registry, IDHash: ev.IdHash, From: ev.Writer})
	rc := adapters.Receipt{
		Ledger:        Ledger,
		Network:       a.network,
		RecordID:      ev.Id,
		Digest:        digestOf(ev.Digest),
		Supersedes:    digestOf(ev.Supersedes),
		Disclosure:    disclosureName(ev.Disclosure),
		TxID:          lg.TxHash.Hex(),
		Block:         lg.BlockNumber,
		BlockHash:     lg.BlockHash.Hex(),
		Index:         uint64(lg.Index),
		Status:        status,
		Confirmations: conf,
		Proof:         proof,
	}
	return adapters.Event{
		Kind:       adapters.EventWritten,
		RecordID:   ev.Id,
		Type:       ev.RecordType,
		Issuer:     ev.Issuer,
		Digest:     rc.Digest,
		Supersedes: rc.Supersedes,
		Receipt:    rc,
		Checkpoint: position{Block: lg.BlockNumber, Next: uint64(lg.Index) + 1, Hash: lg.BlockHash}.Checkpoint(),
	}, nil
}
