package factom

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
	"github.com/ledgergate/ledgergate/schema"
)

// Proof is the Receipt.Proof of a Factom write: the chain, the entry and
// factomd's receipt (the Merkle branch from the entry hash through the
// entry block KeyMR to the directory block KeyMR).
type Proof struct {
	ChainID   string            `json:"chainId"`
	EntryHash string            `json:"entryHash"`
	Receipt   *protocol.Receipt `json:"receipt"`
}

// Read implements adapters.Adapter.
func (a *Adapter) Read(ctx context.Context, id string) (adapters.Entry, error) {
	if err := a.checkOpen(); err != nil {
		return adapters.Entry{}, err
	}
	if err := a.sync(ctx); err != nil {
		return adapters.Entry{}, err
	}
	v := a.idx.head(id)
	if v == nil {
		return adapters.Entry{}, fmt.Errorf("factom: record %s: %w", id, adapters.ErrNotFound)
	}
	e, err := a.c.Entry(ctx, v.entryHash)
	if err != nil {
		return adapters.Entry{}, fmt.Errorf("factom: entry %s: %w", v.entryHash, unavailable(err))
	}
	rc, err := a.receiptOf(ctx, v)
	if err != nil {
		return adapters.Entry{}, err
	}
	out := adapters.Entry{RecordID: v.id, Type: v.recordType, Issuer: v.issuer, Digest: v.digest, Supersedes: v.supersedes, Disclosure: v.disclosure, Receipt: rc}
	if len(e.Content) > 0 {
		out.Content = e.Content
	}
	return out, nil
}

// Receipt implements adapters.Adapter.
func (a *Adapter) Receipt(ctx context.Context, id string, digest schema.Digest) (adapters.Receipt, error) {
	if err := a.checkOpen(); err != nil {
		return adapters.Receipt{}, err
	}
	if err := a.sync(ctx); err != nil {
		return adapters.Receipt{}, err
	}
	v := a.idx.version(id, digest)
	if v == nil {
		return adapters.Receipt{}, fmt.Errorf("factom: record %s version %s: %w", id, digest, adapters.ErrNotFound)
	}
	return a.receiptOf(ctx, v)
}

// receiptOf builds the receipt of an accepted version, fetching factomd's
// Merkle receipt the first time.
func (a *Adapter) receiptOf(ctx context.Context, v *version) (adapters.Receipt, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.proof == nil {
		r, err := a.c.Receipt(ctx, v.entryHash)
		if err != nil {
			return adapters.Receipt{}, fmt.Errorf("factom: receipt of entry %s: %w", v.entryHash, unavailable(err))
		}
		v.proof = r
	}
	proof, err := json.Marshal(Proof{ChainID: v.chainID.String(), EntryHash: v.entryHash.String(), Receipt: v.proof})
	if err != nil {
		return adapters.Receipt{}, err
	}
	top := a.idx.height()
	return adapters.Receipt{
		Ledger: LedgerKind, Network: a.network,
		RecordID: v.id, Digest: v.digest, Supersedes: v.supersedes, Disclosure: v.disclosure,
		TxID: v.entryHash.String(), Block: uint64(v.height), BlockHash: v.dbKeyMR.String(), Index: uint64(v.index),
		Status: adapters.StatusConfirmed, Confirmations: uint64(max(1, top-int64(v.height)+1)), Time: v.time,
		Proof: proof,
	}, nil
}
