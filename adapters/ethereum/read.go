package ethereum

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/ethereum/registry"
	"github.com/ledgergate/ledgergate/schema"
)

// Disclosure modes as the registry stores them.
const (
	disclosureFull     uint8 = 1
	disclosureRedacted uint8 = 2
	disclosureDigest   uint8 = 3
)

func disclosureCode(d adapters.Disclosure) uint8 {
	switch d {
	case adapters.DisclosureFull:
		return disclosureFull
	case adapters.DisclosureRedacted:
		return disclosureRedacted
	default:
		return disclosureDigest
	}
}

func disclosureName(c uint8) adapters.Disclosure {
	switch c {
	case disclosureFull:
		return adapters.DisclosureFull
	case disclosureRedacted:
		return adapters.DisclosureRedacted
	default:
		return adapters.DisclosureDigest
	}
}

// Proof is the Ethereum verification material carried in Receipt.Proof:
// with it and the receipt's transaction hash, block hash and log index a
// third party finds the RecordWritten log on any node of the chain.
type Proof struct {
	ChainID  string         `json:"chainId"`
	Registry common.Address `json:"registry"`
	IDHash   common.Hash    `json:"idHash"`
	From     common.Address `json:"from,omitzero"`
}

// snapshot is the registry's view of one record at one block.
type snapshot struct {
	head   uint64 // block the state was read at
	rec    registry.RecordRegistryRecord
	ver    registry.RecordRegistryVersion // of the requested digest
	exists bool                           // ver exists
}

func (a *Adapter) call(ctx context.Context, block uint64) *bind.CallOpts {
	return &bind.CallOpts{Context: ctx, BlockNumber: new(big.Int).SetUint64(block)}
}

// snapshotOf reads the record and one of its versions (the head when
// digest is zero) in one call at the latest block.
func (a *Adapter) snapshotOf(ctx context.Context, idHash, digest common.Hash) (snapshot, error) {
	head, err := a.b.BlockNumber(ctx)
	if err != nil {
		return snapshot{}, unavailable(fmt.Errorf("block number: %w", err))
	}
	out, err := bind.Call(a.bound, a.call(ctx, head), a.contract.PackLookup(idHash, digest), a.contract.UnpackLookup)
	if err != nil {
		return snapshot{}, unavailable(fmt.Errorf("registry lookup: %w", err))
	}
	s := snapshot{head: head, rec: out.R, ver: out.V, exists: out.V.BlockNumber != 0}
	if s.ver.BlockNumber > head {
		return s, errStale // the node answered from a newer state than it reported
	}
	return s, nil
}

// writtenLog finds the RecordWritten log of a version in the block the
// registry recorded for it, and that block's canonical header.
func (a *Adapter) writtenLog(ctx context.Context, block uint64, idHash, digest common.Hash) (types.Log, *types.Header, error) {
	hdr, err := a.b.HeaderByNumber(ctx, new(big.Int).SetUint64(block))
	if errors.Is(err, ethereum.NotFound) {
		return types.Log{}, nil, errStale
	}
	if err != nil {
		return types.Log{}, nil, unavailable(fmt.Errorf("header %d: %w", block, err))
	}
	hash := hdr.Hash()
	logs, err := a.b.FilterLogs(ctx, ethereum.FilterQuery{
		BlockHash: &hash,
		Addresses: []common.Address{a.cfg.registry},
		Topics:    [][]common.Hash{{RecordWrittenTopic()}, {idHash}, {digest}},
	})
	if err != nil {
		return types.Log{}, nil, unavailable(fmt.Errorf("eth_getLogs: %w", err))
	}
	for _, lg := range logs {
		if !lg.Removed && lg.BlockHash == hash {
			return lg, hdr, nil
		}
	}
	return types.Log{}, nil, errStale
}

// errStale: the chain moved between two reads; read again.
var errStale = errors.New("ethereum: chain changed during the read")

// receiptOf builds the receipt of a version the registry holds.
func (a *Adapter) receiptOf(ctx context.Context, id string, digest common.Hash, s snapshot) (adapters.Receipt, error) {
	lg, hdr, err := a.writtenLog(ctx, s.ver.BlockNumber, IDHash(id), digest)
	if err != nil {
		return adapters.Receipt{}, err
	}
	return a.makeReceipt(id, digest, s.ver.Supersedes, s.ver.Disclosure, s.ver.Writer, lg, max(s.head, hdr.Number.Uint64()), hdr.Time), nil
}

// makeReceipt builds the receipt of a version from its RecordWritten log.
func (a *Adapter) makeReceipt(id string, digest common.Hash, supersedes [32]byte, disclosure uint8, writer common.Address, lg types.Log, head, blockTime uint64) adapters.Receipt {
	conf := max(head, lg.BlockNumber) - lg.BlockNumber + 1
	status := adapters.StatusCommitted
	if conf >= a.cfg.confirmations {
		status = adapters.StatusConfirmed
	}
	proof, _ := json.Marshal(Proof{ChainID: a.chainID.String(), Registry: a.cfg.registry, IDHash: IDHash(id), From: writer})
	return adapters.Receipt{
		Ledger:        Ledger,
		Network:       a.network,
		RecordID:      id,
		Digest:        digestOf(digest),
		Supersedes:    digestOf(supersedes),
		Disclosure:    disclosureName(disclosure),
		TxID:          lg.TxHash.Hex(),
		Block:         lg.BlockNumber,
		BlockHash:     lg.BlockHash.Hex(),
		Index:         uint64(lg.Index),
		Status:        status,
		Confirmations: conf,
		Time:          time.Unix(int64(blockTime), 0).UTC(),
		Proof:         proof,
	}
}

// retryStale runs f again while the chain moves under it.
func retryStale[T any](ctx context.Context, f func() (T, error)) (T, error) {
	for i := 0; ; i++ {
		v, err := f()
		if !errors.Is(err, errStale) || i == 4 || ctx.Err() != nil {
			return v, err
		}
	}
}

// Read returns the current version of a record as the registry holds it.
func (a *Adapter) Read(ctx context.Context, id string) (adapters.Entry, error) {
	if a.closed() {
		return adapters.Entry{}, adapters.ErrClosed
	}
	idHash := IDHash(id)
	return retryStale(ctx, func() (adapters.Entry, error) {
		s, err := a.snapshotOf(ctx, idHash, common.Hash{})
		if err != nil {
			return adapters.Entry{}, err
		}
		if s.rec.Head == ([32]byte{}) || !s.exists {
			return adapters.Entry{}, fmt.Errorf("record %s: %w", id, adapters.ErrNotFound)
		}
		rc, err := a.receiptOf(ctx, id, s.rec.Head, s)
		if err != nil {
			return adapters.Entry{}, err
		}
		e := adapters.Entry{
			RecordID:   id,
			Type:       s.rec.RecordType,
			Issuer:     s.ver.Issuer,
			Digest:     digestOf(s.rec.Head),
			Supersedes: digestOf(s.ver.Supersedes),
			Disclosure: disclosureName(s.ver.Disclosure),
			Receipt:    rc,
		}
		if len(s.ver.Payload) > 0 {
			e.Content = s.ver.Payload
		}
		return e, nil
	})
}

// Receipt returns the up-to-date receipt of one version: confirmations as
// of the latest block; status submitted while its transaction is pending
// in this process.
func (a *Adapter) Receipt(ctx context.Context, id string, digest schema.Digest) (adapters.Receipt, error) {
	if a.closed() {
		return adapters.Receipt{}, adapters.ErrClosed
	}
	dw, ok := DigestWord(digest)
	if !ok {
		return adapters.Receipt{}, fmt.Errorf("record %s: malformed digest %q: %w", id, digest, adapters.ErrNotFound)
	}
	idHash := IDHash(id)
	return retryStale(ctx, func() (adapters.Receipt, error) {
		s, err := a.snapshotOf(ctx, idHash, dw)
		if err != nil {
			return adapters.Receipt{}, err
		}
		if !s.exists {
			if a.acct != nil {
				if tx, ok := a.acct.pendingTx(flightKey(idHash, dw)); ok {
					return adapters.Receipt{Ledger: Ledger, Network: a.network, RecordID: id, Digest: digest,
						TxID: tx.Hex(), Status: adapters.StatusSubmitted}, nil
				}
			}
			return adapters.Receipt{}, fmt.Errorf("record %s version %s: %w", id, digest, adapters.ErrNotFound)
		}
		return a.receiptOf(ctx, id, dw, s)
	})
}
