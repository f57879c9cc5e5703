package fabric

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/schema"
)

// Verify implements adapters.Verifier. It reads the receipt's transaction
// back from the ledger (qscc GetBlockByTxID on the query organizations'
// peers, never the adapter's cache) and checks that it is in the receipt's
// block, at the receipt's position, that the peers validated it (VALID),
// and that it is the records chaincode's RecordWritten event for the
// receipt's record id and digest.
func (a *Adapter) Verify(ctx context.Context, r adapters.Receipt) (adapters.Verification, error) {
	if a.closed() {
		return adapters.Verification{}, adapters.ErrClosed
	}
	fail := func(format string, args ...any) (adapters.Verification, error) {
		return adapters.Verification{Detail: fmt.Sprintf(format, args...)}, nil
	}
	if !txIDRE.MatchString(r.TxID) {
		return fail("transaction id %q is not 64 lowercase hex digits", r.TxID)
	}
	b, err := a.fetchBlock(ctx, "GetBlockByTxID", r.TxID)
	if errors.Is(err, errNoTx) {
		return fail("transaction %s is not on channel %s", r.TxID, a.cfg.channel)
	}
	if err != nil {
		return adapters.Verification{}, unavailable(fmt.Errorf("fabric: verify: %w", err))
	}
	tx := b.Txs[r.TxID]
	switch {
	case tx == nil:
		return fail("block %d does not hold transaction %s", b.Number, r.TxID)
	case b.Number != r.Block:
		return fail("transaction %s is in block %d, not %d", r.TxID, b.Number, r.Block)
	case r.BlockHash != "" && r.BlockHash != b.Hash:
		return fail("block %d has hash %s, not %s", b.Number, b.Hash, r.BlockHash)
	case tx.Index != r.Index:
		return fail("transaction %s is at position %d of block %d, not %d", r.TxID, tx.Index, b.Number, r.Index)
	case tx.Code != peer.TxValidationCode_VALID:
		return fail("transaction %s was invalidated: %s", r.TxID, tx.Code)
	case tx.Chaincode != a.cfg.chaincode || tx.Event != EventName:
		return fail("transaction %s emitted no %s event of chaincode %s", r.TxID, EventName, a.cfg.chaincode)
	}
	var ev chaincodeEvent
	if err := json.Unmarshal(tx.Payload, &ev); err != nil {
		return fail("transaction %s: event payload: %v", r.TxID, err)
	}
	v := adapters.Verification{Digest: schema.Digest(ev.Digest), Confirmations: 1}
	switch {
	case ev.ID != r.RecordID:
		v.Detail = fmt.Sprintf("transaction %s wrote record %q, not %q", r.TxID, ev.ID, r.RecordID)
	case ev.Digest != string(r.Digest):
		v.Detail = fmt.Sprintf("the ledger holds digest %s for %s, the receipt says %s", ev.Digest, r.RecordID, r.Digest)
	default:
		v.OK = true
		v.Detail = fmt.Sprintf("%s(%s, %s) in VALID transaction %s at position %d of block %d (%s) on channel %s, chaincode %s, endorsed by %v",
			EventName, ev.ID, ev.Digest, r.TxID, tx.Index, b.Number, b.Hash, a.cfg.channel, a.cfg.chaincode, tx.Endorsers)
	}
	return v, nil
}
