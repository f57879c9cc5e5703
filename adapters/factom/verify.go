package factom

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
)

// Verify implements adapters.Verifier. It asks the ledger for the entry's
// Merkle receipt, recomputes it from the entry hash to the directory block
// KeyMR, checks that KeyMR against the directory block at the receipt's
// height, that the entry block belongs to the record's chain, and that the
// entry's ExtIDs name the receipt's record id and digest (and, for a full
// disclosure, that the content hashes to the digest).
func (a *Adapter) Verify(ctx context.Context, r adapters.Receipt) (adapters.Verification, error) {
	if err := a.checkOpen(); err != nil {
		return adapters.Verification{}, err
	}
	bad := func(format string, args ...any) (adapters.Verification, error) {
		return adapters.Verification{OK: false, Detail: fmt.Sprintf(format, args...)}, nil
	}
	eh, err := protocol.ParseHash(r.TxID)
	if err != nil {
		return bad("txId %q is not an entry hash", r.TxID)
	}
	fr, err := a.c.Receipt(ctx, eh)
	var re *protocol.RPCError
	switch {
	case errors.As(err, &re):
		return bad("the ledger has no receipt for entry %s: %v", eh, err)
	case err != nil:
		return adapters.Verification{}, fmt.Errorf("factom: verify: %w", unavailable(err))
	}
	chainID, err := fr.Verify(eh)
	if err != nil {
		return bad("entry %s: %v", eh, err)
	}
	if r.BlockHash != fr.DirectoryBlockKeyMR.String() || r.Block != uint64(fr.DirectoryBlockHeight) {
		return bad("the entry is in directory block %d (%s); the receipt says %d (%s)", fr.DirectoryBlockHeight, fr.DirectoryBlockKeyMR, r.Block, r.BlockHash)
	}
	db, err := a.c.DBlockByHeight(ctx, int64(fr.DirectoryBlockHeight), false)
	if err != nil {
		return adapters.Verification{}, fmt.Errorf("factom: verify: %w", unavailable(err))
	}
	if db.DBlock.KeyMR != fr.DirectoryBlockKeyMR.String() {
		return bad("directory block %d is %s, not the receipt's %s", fr.DirectoryBlockHeight, db.DBlock.KeyMR, fr.DirectoryBlockKeyMR)
	}
	e, err := a.c.Entry(ctx, eh)
	if err != nil {
		return adapters.Verification{}, fmt.Errorf("factom: verify: %w", unavailable(err))
	}
	if e.Hash() != eh {
		return bad("the ledger's entry %s hashes to %s", eh, e.Hash())
	}
	m, ok := parseRecordEntry(e)
	if !ok {
		return bad("entry %s is not a ledgergate record entry", eh)
	}
	if want := ChainFor(a.ns, m.issuer, m.recordType).ChainID; chainID != want || e.ChainID != want {
		return bad("entry %s is in chain %s, not the chain of issuer %s type %s (%s)", eh, chainID, m.issuer, m.recordType, want)
	}
	if err := m.checkContent(e.Content); err != nil {
		return bad("entry %s: %v", eh, err)
	}
	v := adapters.Verification{Digest: m.digest, Confirmations: uint64(max(1, a.idx.height()-int64(fr.DirectoryBlockHeight)+1))}
	if m.id != r.RecordID || m.digest != r.Digest {
		v.Detail = fmt.Sprintf("entry %s holds record %s digest %s; the receipt says %s %s", eh, m.id, m.digest, r.RecordID, r.Digest)
		return v, nil
	}
	v.OK = true
	v.Detail = fmt.Sprintf("entry %s of chain %s: Merkle receipt to directory block %d (%s) recomputed; ExtIDs name record %s with this digest", eh, chainID, fr.DirectoryBlockHeight, fr.DirectoryBlockKeyMR, m.id)
	return v, nil
}

// VerifyProof checks a receipt's Proof offline: factomd's Merkle receipt
// in it must lead from the receipt's entry hash (TxID) to its directory
// block KeyMR (BlockHash) at its height. It does not prove the directory
// block is the ledger's; compare BlockHash with a trusted copy of the
// ledger (or use Verify) for that.
func VerifyProof(r adapters.Receipt) error {
	var p Proof
	if err := json.Unmarshal(r.Proof, &p); err != nil || p.Receipt == nil {
		return fmt.Errorf("factom: receipt has no Factom proof: %v", err)
	}
	eh, err := protocol.ParseHash(r.TxID)
	if err != nil {
		return err
	}
	cid, err := p.Receipt.Verify(eh)
	if err != nil {
		return err
	}
	if p.ChainID != cid.String() {
		return fmt.Errorf("%w: the branch proves chain %s, the proof says %s", protocol.ErrBadReceipt, cid, p.ChainID)
	}
	if p.Receipt.DirectoryBlockKeyMR.String() != r.BlockHash || uint64(p.Receipt.DirectoryBlockHeight) != r.Block {
		return fmt.Errorf("%w: the branch ends at directory block %d (%s), the receipt names %d (%s)", protocol.ErrBadReceipt, p.Receipt.DirectoryBlockHeight, p.Receipt.DirectoryBlockKeyMR, r.Block, r.BlockHash)
	}
	return nil
}
