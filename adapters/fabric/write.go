package fabric

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/schema"
)

// Write implements adapters.Adapter. It has Put endorsed (a simulation:
// the chaincode answers with the version the ledger already holds, or
// refuses a conflicting version, without any transaction), then sends the
// signed transaction to the orderer and waits for its commit status. A transaction invalidated by an MVCC or
// phantom read conflict, or whose endorsers answered differently (peers
// that have not committed the same blocks yet), is endorsed again
// (WithConflictRetries). Errors
// wrap ErrUnavailable only when nothing reached the orderer or the
// transaction was invalidated (so it changed nothing); once it may have
// been ordered, the error wraps ErrOutcomeUnknown.
func (a *Adapter) Write(ctx context.Context, rec *schema.Record, p adapters.Policy) (adapters.Receipt, error) {
	return a.write(ctx, rec, p, true)
}

// write makes a write, and with commit waits for its commit status
// (Write); without, it returns once the orderer has the transaction
// (Submit).
func (a *Adapter) write(ctx context.Context, rec *schema.Record, p adapters.Policy, commit bool) (adapters.Receipt, error) {
	if a.closed() {
		return adapters.Receipt{}, adapters.ErrClosed
	}
	pl, err := adapters.Prepare(a.cfg.schema, rec, p, a.cfg.maxContent)
	if err != nil {
		return adapters.Receipt{}, err
	}
	r := pl.Record
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return adapters.Receipt{}, unavailable(fmt.Errorf("fabric: write %s: %w", r.ID, err))
		}
		rc, again, err := a.submit(ctx, pl, commit)
		if !again {
			return rc, err
		}
		if attempt >= a.cfg.conflictRetries {
			return adapters.Receipt{}, unavailable(fmt.Errorf("fabric: write %s: gave up after %d read conflicts or endorsement mismatches: %w", r.ID, attempt+1, err))
		}
		select { // let the competing transaction's block land
		case <-time.After(time.Duration(10*(attempt+1)) * time.Millisecond):
		case <-ctx.Done():
		}
	}
}

// existing returns the receipt of a version the ledger already holds. Its
// errors do not wrap ErrUnavailable: the record is applied.
func (a *Adapter) existing(ctx context.Context, v *version) (adapters.Receipt, error) {
	rc, err := a.receiptOf(ctx, v)
	if err != nil {
		return adapters.Receipt{}, fmt.Errorf("fabric: record %s is on the ledger (transaction %s), but its receipt could not be read: %s", v.ID, v.TxID, describe(err))
	}
	return rc, nil
}

// submit endorses and orders one Put transaction, and with commit awaits
// its commit status. again is true when the transaction was invalidated by
// a read conflict.
func (a *Adapter) submit(ctx context.Context, pl adapters.Payload, commit bool) (rc adapters.Receipt, again bool, err error) {
	r := pl.Record
	prop, err := a.contract.NewProposal("Put", client.WithArguments(string(pl.Policy.Disclosure), r.ID, r.Type, r.Issuer.ID,
		string(r.Digest), string(r.Supersedes), string(pl.Content)))
	if err != nil {
		return rc, false, unavailable(fmt.Errorf("fabric: proposal for %s: %w", r.ID, err))
	}
	txn, err := prop.EndorseWithContext(ctx)
	if err != nil {
		if endorsersDisagree(err) { // peers at different heights: try again
			return rc, true, &gatewayError{err}
		}
		return rc, false, fmt.Errorf("fabric: %w", endorseError(r.ID, err))
	}
	var res version
	if err := json.Unmarshal(txn.Result(), &res); err != nil {
		return rc, false, unavailable(fmt.Errorf("fabric: endorsed result of %s: %w", r.ID, err))
	}
	if res.TxID != txn.TransactionID() { // already on the ledger: no second write
		rc, err := a.existing(ctx, &res)
		return rc, false, err
	}
	if err := ctx.Err(); err != nil { // last point where nothing has left
		return rc, false, unavailable(fmt.Errorf("fabric: write %s: not submitted: %w", r.ID, err))
	}
	sent, err := a.send(ctx, txn)
	if err != nil {
		return rc, false, err
	}
	if !commit {
		return adapters.Receipt{
			Ledger: Ledger, Network: a.cfg.name,
			RecordID: r.ID, Digest: r.Digest, Supersedes: r.Supersedes, Disclosure: pl.Policy.Disclosure,
			TxID: txn.TransactionID(), Status: adapters.StatusSubmitted, Time: time.Now().UTC(),
		}, false, nil
	}
	st, err := sent.StatusWithContext(ctx)
	if err != nil {
		return rc, false, unknownOutcome(txn.TransactionID(), fmt.Errorf("commit status of %s: %w", r.ID, err))
	}
	if !st.Successful {
		if isConflictCode(st.Code) {
			return rc, true, fmt.Errorf("transaction %s: %s", st.TransactionID, st.Code)
		}
		if rej := commitRejection(r.ID, st.Code, st.TransactionID); rej != nil {
			return rc, false, rej
		}
		// An invalid transaction changes no state: not applied.
		return rc, false, unavailable(fmt.Errorf("fabric: write %s: transaction %s invalidated in block %d: %s", r.ID, st.TransactionID, st.BlockNumber, st.Code))
	}
	b, err := a.block(ctx, st.BlockNumber)
	if err == nil {
		return a.receipt(&res, b)
	}
	return rc, false, fmt.Errorf("fabric: record %s committed in transaction %s, block %d, but the block could not be read: %s", r.ID, st.TransactionID, st.BlockNumber, describe(err))
}

// send hands the signed transaction to the orderer, sending the same
// transaction again while a failure leaves its fate open: Fabric commits a
// transaction id at most once. The caller's cancellation does not cut a
// send short, so a cancelled Write does not by itself leave a transaction
// of unknown fate.
func (a *Adapter) send(ctx context.Context, txn *client.Transaction) (*client.Commit, error) {
	var unknown error
	for i := 0; i < a.cfg.submitAttempts; i++ {
		if i > 0 {
			select {
			case <-time.After(time.Duration(200*i) * time.Millisecond):
			case <-ctx.Done():
				return nil, unknownOutcome(txn.TransactionID(), errors.Join(unknown, ctx.Err()))
			}
		}
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.cfg.submitTimeout)
		commit, err := txn.SubmitWithContext(sctx)
		cancel()
		if err == nil {
			return commit, nil
		}
		switch classifySubmit(err) {
		case submitRefused:
			if rej := refusal(txn.TransactionID(), err); rej != nil {
				return nil, rej
			}
			return nil, adapters.Reject(adapters.ReasonForbidden, "the orderer refused transaction "+txn.TransactionID(), &gatewayError{err})
		case submitNotSent:
			if unknown == nil {
				return nil, unavailable(fmt.Errorf("fabric: transaction %s not sent to the orderer: %w", txn.TransactionID(), &gatewayError{err}))
			}
		default:
			unknown = &gatewayError{err}
		}
	}
	return nil, unknownOutcome(txn.TransactionID(), unknown)
}
