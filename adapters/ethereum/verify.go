package ethereum

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"

	"github.com/ledgergate/ledgergate/adapters"
)

var txHashRE = regexp.MustCompile(`^0x[0-9a-fA-F]{64}$`)

// Verify checks a receipt against the chain alone: the transaction
// succeeded, sits in the receipt's block on the canonical chain, and its
// log at the receipt's index is the registry's RecordWritten event for the
// receipt's record id and digest.
func (a *Adapter) Verify(ctx context.Context, r adapters.Receipt) (adapters.Verification, error) {
	if a.closed() {
		return adapters.Verification{}, adapters.ErrClosed
	}
	fail := func(format string, args ...any) (adapters.Verification, error) {
		return adapters.Verification{Detail: fmt.Sprintf(format, args...)}, nil
	}
	if !txHashRE.MatchString(r.TxID) {
		return fail("transaction id %q is not a 32-byte hex hash", r.TxID)
	}
	rc, err := a.b.TransactionReceipt(ctx, common.HexToHash(r.TxID))
	if errors.Is(err, ethereum.NotFound) {
		return fail("transaction %s is not on chain %s", r.TxID, a.chainID)
	}
	if err != nil {
		return adapters.Verification{}, unavailable(fmt.Errorf("transaction receipt: %w", err))
	}
	if rc.Status != 1 {
		return fail("transaction %s reverted", r.TxID)
	}
	if r.BlockHash != "" && common.HexToHash(r.BlockHash) != rc.BlockHash {
		return fail("transaction %s is in block %s, not %s (reorganised?)", r.TxID, rc.BlockHash, r.BlockHash)
	}
	if r.Block != 0 && rc.BlockNumber.Uint64() != r.Block {
		return fail("transaction %s is in block %d, not %d", r.TxID, rc.BlockNumber, r.Block)
	}
	hdr, err := a.b.HeaderByNumber(ctx, rc.BlockNumber)
	if err != nil {
		return adapters.Verification{}, unavailable(fmt.Errorf("header %s: %w", rc.BlockNumber, err))
	}
	if hdr.Hash() != rc.BlockHash {
		return fail("block %s of transaction %s is not canonical", rc.BlockHash, r.TxID)
	}
	head, err := a.b.BlockNumber(ctx)
	if err != nil {
		return adapters.Verification{}, unavailable(fmt.Errorf("block number: %w", err))
	}
	conf := max(head, rc.BlockNumber.Uint64()) - rc.BlockNumber.Uint64() + 1
	for _, lg := range rc.Logs {
		if uint64(lg.Index) != r.Index {
			continue
		}
		if lg.Address != a.cfg.registry || len(lg.Topics) != 3 || lg.Topics[0] != RecordWrittenTopic() {
			return fail("log %d of transaction %s is not a RecordWritten event of registry %s", r.Index, r.TxID, a.cfg.registry)
		}
		ev, err := a.contract.UnpackRecordWrittenEvent(lg)
		if err != nil {
			return fail("log %d of transaction %s: %v", r.Index, r.TxID, err)
		}
		got := digestOf(ev.Digest)
		v := adapters.Verification{Digest: got, Confirmations: conf}
		switch {
		case ev.Id != r.RecordID || lg.Topics[1] != IDHash(r.RecordID):
			v.Detail = fmt.Sprintf("log %d of transaction %s records id %q, not %q", r.Index, r.TxID, ev.Id, r.RecordID)
		case got != r.Digest:
			v.Detail = fmt.Sprintf("the chain holds digest %s for %s, the receipt says %s", got, r.RecordID, r.Digest)
		default:
			v.OK = true
			v.Detail = fmt.Sprintf("RecordWritten(%s, %s) at log %d of transaction %s in canonical block %d (%s) of chain %s, registry %s; %d confirmations",
				r.RecordID, got, r.Index, r.TxID, rc.BlockNumber, rc.BlockHash, a.chainID, a.cfg.registry, conf)
		}
		return v, nil
	}
	return fail("transaction %s has no log %d", r.TxID, r.Index)
}
