package ethereum

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/schema"
)

// Submit implements adapters.Submitter. It makes Write's registry check
// and sends the write's transaction, and returns as soon as the node has
// taken it, with a receipt of status submitted naming the transaction.
// Track follows it into a block.
func (a *Adapter) Submit(ctx context.Context, rec *schema.Record, p adapters.Policy) (adapters.Receipt, error) {
	return a.lead(ctx, rec, p, false)
}

func (a *Adapter) submit(ctx context.Context, pl adapters.Payload, idHash, digest, key common.Hash) (adapters.Receipt, error) {
	rec, data, supersedes := a.packWrite(pl)
	for attempt := 1; ; attempt++ {
		held, tx, _, err := a.place(ctx, rec, data, idHash, digest, supersedes, attempt <= maxAttempts)
		if errors.Is(err, errAlreadyWritten) {
			continue // written meanwhile: check again
		}
		if err != nil && tx == nil {
			return adapters.Receipt{}, err
		}
		if held != nil {
			return *held, nil
		}
		a.acct.setFlightTx(key, tx.Hash())
		rc := adapters.Receipt{
			Ledger:     Ledger,
			Network:    a.network,
			RecordID:   rec.ID,
			Digest:     rec.Digest,
			Supersedes: rec.Supersedes,
			Disclosure: pl.Policy.Disclosure,
			TxID:       tx.Hash().Hex(),
			Status:     adapters.StatusSubmitted,
			Time:       time.Now().UTC(),
		}
		if err != nil {
			// Sent, but the node's reply was lost: name the transaction
			// so that the caller follows it instead of sending another.
			return adapters.Receipt{}, &adapters.InFlightError{Receipt: rc, Err: err}
		}
		return rc, nil
	}
}

// Track implements adapters.Submitter. While the receipt's transaction is
// pending it costs two calls to the node: its receipt and the transaction.
// Once it is mined, or the node no longer holds it, the registry decides:
// the version's receipt if any transaction wrote it, else ErrNotFound. A
// transaction still pending after a write's resend delay (24 polls) is
// also given up when its nonce was used by another transaction or it sits
// behind a nonce gap.
func (a *Adapter) Track(ctx context.Context, rc adapters.Receipt) (adapters.Receipt, error) {
	if a.closed() {
		return adapters.Receipt{}, adapters.ErrClosed
	}
	dw, ok := DigestWord(rc.Digest)
	if !ok {
		return adapters.Receipt{}, fmt.Errorf("record %s: malformed digest %q: %w", rc.RecordID, rc.Digest, adapters.ErrNotFound)
	}
	b, err := hexutil.Decode(rc.TxID)
	if err != nil || len(b) != common.HashLength {
		// Not a transaction of this chain: only the registry can tell.
		return a.Receipt(ctx, rc.RecordID, rc.Digest)
	}
	hash := common.BytesToHash(b)
	mined, err := a.b.TransactionReceipt(ctx, hash)
	if err != nil && !errors.Is(err, ethereum.NotFound) {
		return adapters.Receipt{}, unavailable(fmt.Errorf("receipt of transaction %s: %w", hash, err))
	}
	var gone string // why the transaction will not land
	if err != nil {
		tx, pending, err := a.b.TransactionByHash(ctx, hash)
		switch {
		case err == nil && pending:
			why, err := a.stranded(ctx, tx, rc.Time)
			if err != nil {
				return adapters.Receipt{}, unavailable(err)
			}
			if why == "" {
				return rc.Pending(), nil
			}
			gone = why
		case err == nil:
			return rc.Pending(), nil // mined since the receipt was asked for
		case errors.Is(err, ethereum.NotFound):
			gone = "the node no longer holds it (dropped)"
			if a.acct != nil {
				a.resync() // the nonces handed out after it may be free again
			}
		default:
			return adapters.Receipt{}, unavailable(fmt.Errorf("transaction %s: %w", hash, err))
		}
	}
	// The registry is the authority, whichever transaction wrote the version.
	cur, err := a.Receipt(ctx, rc.RecordID, rc.Digest)
	if err == nil && cur.Status != adapters.StatusSubmitted {
		return cur, nil
	}
	if err != nil && !errors.Is(err, adapters.ErrNotFound) {
		return adapters.Receipt{}, err
	}
	if mined != nil {
		if mined.Status == types.ReceiptStatusSuccessful {
			if _, ok := a.writtenBy(mined, IDHash(rc.RecordID), dw); ok {
				// The registry read missed its block (just mined, or being
				// replaced in a reorganisation): look again next time.
				return rc.Pending(), nil
			}
			gone = fmt.Sprintf("it was mined in block %d without writing this version", mined.BlockNumber)
		} else {
			gone = fmt.Sprintf("it reverted in block %d", mined.BlockNumber)
		}
	}
	return adapters.Receipt{}, fmt.Errorf("record %s version %s: transaction %s will not land: %s: %w", rc.RecordID, rc.Digest, hash, gone, adapters.ErrNotFound)
}

// stranded says why a pending transaction submitted at since will not
// execute, or "" while it may. It looks only once the transaction has been
// pending as long as Write waits before resending one.
func (a *Adapter) stranded(ctx context.Context, tx *types.Transaction, since time.Time) (string, error) {
	if !since.IsZero() && time.Since(since) < a.cfg.poll*nonceCheckEvery*stuckPolls {
		return "", nil
	}
	from, err := types.Sender(a.signer, tx)
	if err != nil {
		return "", nil // not signed for this chain: nothing to judge by
	}
	n, err := a.b.NonceAt(ctx, from, nil)
	if err != nil {
		return "", fmt.Errorf("nonce of %s: %w", from, err)
	}
	if n > tx.Nonce() {
		// Mined since it was looked up, or replaced: its receipt tells.
		if _, err := a.b.TransactionReceipt(ctx, tx.Hash()); err == nil {
			return "", nil
		} else if !errors.Is(err, ethereum.NotFound) {
			return "", fmt.Errorf("receipt of transaction %s: %w", tx.Hash(), err)
		}
		return fmt.Sprintf("its nonce %d was used by another transaction", tx.Nonce()), nil
	}
	pn, err := a.b.PendingNonceAt(ctx, from)
	if err != nil {
		return "", fmt.Errorf("pending nonce of %s: %w", from, err)
	}
	if pn <= tx.Nonce() {
		// An earlier nonce was taken back (a reorganisation): the node
		// will not execute it until the gap is filled.
		if from == a.from && a.acct != nil {
			a.resync()
		}
		return fmt.Sprintf("it waits behind a nonce gap (the node's next nonce for %s is %d)", from, pn), nil
	}
	return "", nil
}

// awaitTracked waits until a submitted write is in a block with the
// configured confirmations. ErrNotFound: it will not land.
func (a *Adapter) awaitTracked(ctx context.Context, rc adapters.Receipt) (adapters.Receipt, error) {
	t := time.NewTicker(a.cfg.poll)
	defer t.Stop()
	for {
		next, err := a.Track(ctx, rc)
		switch {
		case err == nil && next.Status != adapters.StatusSubmitted:
			return a.awaitConfirmations(ctx, next)
		case errors.Is(err, adapters.ErrNotFound) || errors.Is(err, adapters.ErrClosed):
			return adapters.Receipt{}, err
		}
		// Pending, or the node did not answer: ask again.
		select {
		case <-ctx.Done():
			return adapters.Receipt{}, unknownOutcome(fmt.Errorf("waiting for transaction %s: %w", rc.TxID, ctx.Err()))
		case <-a.done:
			return adapters.Receipt{}, adapters.ErrClosed
		case <-t.C:
		}
	}
}
