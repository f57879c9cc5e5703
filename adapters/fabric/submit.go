package fabric

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/schema"
)

var _ adapters.Submitter = (*Adapter)(nil)

// Submit implements adapters.Submitter: Write's endorsement (which
// answers with the version the ledger holds, or refuses a conflict,
// without a transaction) and the send to the orderer. It returns once the
// orderer has the transaction, not once the peers have committed it: a
// batch timeout and a validation later.
func (a *Adapter) Submit(ctx context.Context, rec *schema.Record, p adapters.Policy) (adapters.Receipt, error) {
	return a.write(ctx, rec, p, false)
}

// lostAfter is how long a submitted transaction may be missing from the
// channel before Track gives it up: ordering and validation take seconds;
// one still missing after this never reached a block (an orderer lost it).
const lostAfter = 2 * time.Minute

// Track implements adapters.Submitter. The chaincode decides: the
// version's receipt once the ledger holds it, whichever transaction wrote
// it. Until then the submitted transaction's block says why not: none yet
// (still on its way, until lostAfter), or committed invalid (an MVCC
// conflict, a refused endorsement policy), which is ErrNotFound.
func (a *Adapter) Track(ctx context.Context, rc adapters.Receipt) (adapters.Receipt, error) {
	if a.closed() {
		return adapters.Receipt{}, adapters.ErrClosed
	}
	for again := true; ; again = false {
		v, err := a.evaluateVersion(ctx, "GetVersion", rc.RecordID, string(rc.Digest))
		if err == nil {
			return a.receiptOf(ctx, v)
		}
		if !errors.Is(err, adapters.ErrNotFound) {
			return adapters.Receipt{}, err
		}
		if rc.TxID == "" {
			return adapters.Receipt{}, fmt.Errorf("fabric: record %s version %s: %w", rc.RecordID, rc.Digest, adapters.ErrNotFound)
		}
		b, err := a.blockOfTx(ctx, rc.TxID)
		switch {
		case errors.Is(err, errNoTx):
			if !rc.Time.IsZero() && time.Since(rc.Time) < lostAfter {
				pending := rc.Pending()
				pending.Proof = nil // a Fabric proof names the block
				return pending, nil
			}
			return adapters.Receipt{}, fmt.Errorf("fabric: record %s version %s: transaction %s is not on the channel %s after its submission: %w", rc.RecordID, rc.Digest, rc.TxID, lostAfter, adapters.ErrNotFound)
		case err != nil:
			return adapters.Receipt{}, unavailable(fmt.Errorf("fabric: block of transaction %s: %w", rc.TxID, err))
		}
		code := "missing from its block"
		if tx := b.Txs[rc.TxID]; tx != nil {
			if tx.Code == peer.TxValidationCode_VALID && again {
				continue // committed since the chaincode was asked: ask again
			}
			code = tx.Code.String()
		}
		return adapters.Receipt{}, fmt.Errorf("fabric: record %s version %s: transaction %s in block %d did not write it (%s): %w", rc.RecordID, rc.Digest, rc.TxID, b.Number, code, adapters.ErrNotFound)
	}
}
