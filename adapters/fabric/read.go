package fabric

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/schema"
)

// Proof is the Fabric-specific part of a receipt (Receipt.Proof): what a
// third party needs to find and check the transaction on any peer of the
// channel, e.g. with qscc GetTransactionByID and GetBlockByNumber.
type Proof struct {
	Channel        string   `json:"channel"`
	Chaincode      string   `json:"chaincode"`
	TxID           string   `json:"txId"`
	Block          uint64   `json:"block"`
	BlockHash      string   `json:"blockHash"` // hex SHA-256 of the ASN.1 block header
	DataHash       string   `json:"dataHash"`  // hex, from the block header
	TxIndex        uint64   `json:"txIndex"`
	ValidationCode string   `json:"validationCode"`
	Creator        string   `json:"creator"`   // MSP id of the submitting client
	Endorsers      []string `json:"endorsers"` // MSP ids of the endorsing peers
	Event          string   `json:"event"`
}

// Read implements adapters.Adapter: the chaincode's current version of the
// record, with its receipt.
func (a *Adapter) Read(ctx context.Context, id string) (adapters.Entry, error) {
	if a.closed() {
		return adapters.Entry{}, adapters.ErrClosed
	}
	v, err := a.evaluateVersion(ctx, "Get", id)
	if err != nil {
		return adapters.Entry{}, err
	}
	rc, err := a.receiptOf(ctx, v)
	if err != nil {
		return adapters.Entry{}, err
	}
	e := adapters.Entry{
		RecordID:   v.ID,
		Type:       v.Type,
		Issuer:     v.Issuer,
		Digest:     schema.Digest(v.Digest),
		Supersedes: schema.Digest(v.Supersedes),
		Disclosure: adapters.Disclosure(v.Disclosure),
		Receipt:    rc,
	}
	if v.Content != "" {
		e.Content = []byte(v.Content)
	}
	return e, nil
}

// Receipt implements adapters.Adapter.
func (a *Adapter) Receipt(ctx context.Context, id string, digest schema.Digest) (adapters.Receipt, error) {
	if a.closed() {
		return adapters.Receipt{}, adapters.ErrClosed
	}
	v, err := a.evaluateVersion(ctx, "GetVersion", id, string(digest))
	if err != nil {
		return adapters.Receipt{}, err
	}
	return a.receiptOf(ctx, v)
}

// evaluateVersion evaluates Get or GetVersion; ErrNotFound for "".
func (a *Adapter) evaluateVersion(ctx context.Context, fn string, args ...string) (*version, error) {
	raw, err := a.contract.EvaluateWithContext(ctx, fn, client.WithArguments(args...))
	if err != nil {
		return nil, unavailable(fmt.Errorf("fabric: evaluate %s(%s): %w", fn, args[0], &gatewayError{err}))
	}
	if len(raw) == 0 {
		return nil, fmt.Errorf("fabric: %s: %w", args[0], adapters.ErrNotFound)
	}
	var v version
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("fabric: evaluate %s(%s): %w", fn, args[0], err)
	}
	return &v, nil
}

// receiptOf finds the block of the transaction that wrote v.
func (a *Adapter) receiptOf(ctx context.Context, v *version) (adapters.Receipt, error) {
	b, err := a.blockOfTx(ctx, v.TxID)
	if err != nil && !errors.Is(err, errNoTx) {
		return adapters.Receipt{}, unavailable(fmt.Errorf("fabric: block of transaction %s: %w", v.TxID, err))
	}
	if err != nil {
		return adapters.Receipt{}, fmt.Errorf("fabric: the chaincode holds %s from transaction %s, which the queried peers cannot find: %w", v.ID, v.TxID, err)
	}
	rc, _, err := a.receipt(v, b)
	return rc, err
}

// receipt builds the receipt of version v, written in block b.
func (a *Adapter) receipt(v *version, b *blockInfo) (adapters.Receipt, bool, error) {
	tx := b.Txs[v.TxID]
	if tx == nil {
		return adapters.Receipt{}, false, fmt.Errorf("fabric: transaction %s is not in block %d", v.TxID, b.Number)
	}
	if tx.Code != peer.TxValidationCode_VALID {
		return adapters.Receipt{}, false, fmt.Errorf("fabric: transaction %s of %s is %s", v.TxID, v.ID, tx.Code)
	}
	proof, err := json.Marshal(Proof{
		Channel: a.cfg.channel, Chaincode: a.cfg.chaincode, TxID: v.TxID,
		Block: b.Number, BlockHash: b.Hash, DataHash: b.DataHash, TxIndex: tx.Index,
		ValidationCode: tx.Code.String(), Creator: tx.Creator, Endorsers: tx.Endorsers, Event: tx.Event,
	})
	if err != nil {
		return adapters.Receipt{}, false, err
	}
	rc := adapters.Receipt{
		Ledger:        Ledger,
		Network:       a.cfg.name,
		RecordID:      v.ID,
		Digest:        schema.Digest(v.Digest),
		Supersedes:    schema.Digest(v.Supersedes),
		Disclosure:    adapters.Disclosure(v.Disclosure),
		TxID:          v.TxID,
		Block:         b.Number,
		BlockHash:     b.Hash,
		Index:         tx.Index,
		Status:        adapters.StatusConfirmed, // Fabric commits are final
		Confirmations: 1,
		Proof:         proof,
	}
	if t, err := time.Parse(time.RFC3339Nano, v.Time); err == nil {
		rc.Time = t
	}
	return rc, false, nil
}
