package ethereum

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/ethereum/registry"
	"github.com/ledgergate/ledgergate/schema"
)

// maxAttempts bounds how often one Write re-checks the chain and resends
// after its transaction was dropped or reverted.
const maxAttempts = 4

var (
	errDropped = errors.New("transaction dropped: its nonce was used by another transaction")
	errReorged = errors.New("block of the transaction left the canonical chain")
)

func flightKey(idHash, digest common.Hash) common.Hash {
	return crypto.Keccak256Hash(idHash[:], digest[:])
}

// Write puts a record on the registry and waits for the configured
// confirmations. It checks the registry first: a version it already holds
// costs no transaction, and a conflicting version is refused without one.
// Concurrent writes of the same version in this process share one
// transaction.
func (a *Adapter) Write(ctx context.Context, rec *schema.Record, p adapters.Policy) (adapters.Receipt, error) {
	return a.lead(ctx, rec, p, true)
}

// lead makes a write (commit: wait until it is confirmed, as Write does)
// or a submission (Submit), sharing it with any concurrent write or
// submission of the same version in this process.
func (a *Adapter) lead(ctx context.Context, rec *schema.Record, p adapters.Policy, commit bool) (adapters.Receipt, error) {
	if a.closed() {
		return adapters.Receipt{}, adapters.ErrClosed
	}
	pl, err := adapters.Prepare(a.cfg.schema, rec, p, a.cfg.maxContent)
	if err != nil {
		return adapters.Receipt{}, err
	}
	if a.acct == nil {
		return adapters.Receipt{}, adapters.Reject(adapters.ReasonForbidden, "read-only adapter: no signing key (WithKey)", nil)
	}
	digest, _ := DigestWord(pl.Record.Digest) // Prepare checked it
	idHash := IDHash(pl.Record.ID)
	key := flightKey(idHash, digest)
	for {
		if err := ctx.Err(); err != nil {
			return adapters.Receipt{}, unavailable(err)
		}
		f, leader := a.acct.join(key)
		if leader {
			var rc adapters.Receipt
			var err error
			if commit {
				rc, err = a.write(ctx, pl, idHash, digest, key)
			} else {
				rc, err = a.submit(ctx, pl, idHash, digest, key)
			}
			a.acct.land(key, f, rc, err)
			return rc, err
		}
		select {
		case <-f.done:
		case <-ctx.Done():
			return adapters.Receipt{}, unknownOutcome(fmt.Errorf("waiting for a concurrent write of the same version: %w", ctx.Err()))
		case <-a.done:
			return adapters.Receipt{}, adapters.ErrClosed
		}
		if f.err != nil && errors.Is(f.err, adapters.ErrUnavailable) {
			continue // the other write was not applied: try ourselves
		}
		pending := f.rc
		var inflight *adapters.InFlightError
		if errors.As(f.err, &inflight) {
			pending = inflight.Receipt
		}
		if (f.err == nil || inflight != nil) && commit && pending.Status == adapters.StatusSubmitted {
			// A submission led (its reply maybe lost): wait for its
			// transaction as Write would.
			rc, err := a.awaitTracked(ctx, pending)
			if errors.Is(err, adapters.ErrNotFound) {
				continue // it will not land: write ourselves
			}
			return rc, err
		}
		return f.rc, f.err
	}
}

func (a *Adapter) write(ctx context.Context, pl adapters.Payload, idHash, digest, key common.Hash) (adapters.Receipt, error) {
	rec, data, supersedes := a.packWrite(pl)
	sent := false // a transaction of this write may be on chain
	for attempt := 1; ; attempt++ {
		held, tx, nonce, err := a.place(ctx, rec, data, idHash, digest, supersedes, attempt <= maxAttempts)
		if errors.Is(err, errAlreadyWritten) {
			continue // someone else wrote it meanwhile: re-check
		}
		if err != nil && tx == nil {
			return adapters.Receipt{}, a.failed(sent, err)
		}
		if held != nil {
			return a.awaitConfirmations(ctx, *held)
		}
		// Sent; with err set, the node's reply was lost. Either way the
		// transaction is followed: sending another while it may be
		// pending would pay for one that reverts.
		sent = true
		a.acct.setFlightTx(key, tx.Hash())
		mined, head, hdr, err := a.await(ctx, tx.Hash(), nonce)
		if err != nil && !errors.Is(err, errDropped) {
			return adapters.Receipt{}, err
		}
		if err == nil && mined.Status == types.ReceiptStatusSuccessful {
			if lg, ok := a.writtenBy(mined, idHash, digest); ok {
				return a.makeReceipt(rec.ID, digest, supersedes, disclosureCode(pl.Policy.Disclosure), a.from, lg, head, hdr.Time), nil
			}
		}
		// Reverted (a concurrent write won the race) or dropped: the
		// re-check says what the registry holds.
	}
}

// packWrite returns the record of a prepared payload, the calldata of its
// registry write and the digest it supersedes (zero if none).
func (a *Adapter) packWrite(pl adapters.Payload) (*schema.Record, []byte, common.Hash) {
	rec := pl.Record
	var supersedes common.Hash
	if rec.Supersedes != "" {
		supersedes, _ = DigestWord(rec.Supersedes) // Prepare checked it
	}
	digest, _ := DigestWord(rec.Digest)
	data := a.contract.PackWrite(rec.ID, rec.Type, rec.Issuer.ID, digest, supersedes, disclosureCode(pl.Policy.Disclosure), pl.Content)
	return rec, data, supersedes
}

// place checks the registry (once the account's transactions pending
// from before this process have settled: settle.go) and, unless it holds
// the version already (its receipt, held) or must refuse it, sends the
// write's transaction. With send false it reports instead that the
// write was not applied after maxAttempts. errAlreadyWritten: the version
// landed between the check and the gas estimate; check again.
func (a *Adapter) place(ctx context.Context, rec *schema.Record, data []byte, idHash, digest, supersedes common.Hash, send bool) (held *adapters.Receipt, tx *types.Transaction, nonce uint64, err error) {
	if err := a.settle(ctx); err != nil {
		return nil, nil, 0, err
	}
	s, err := retryStale(ctx, func() (snapshot, error) { return a.snapshotOf(ctx, idHash, digest) })
	if err != nil {
		return nil, nil, 0, err
	}
	if s.exists {
		rc, err := retryStale(ctx, func() (adapters.Receipt, error) { return a.receiptOf(ctx, rec.ID, digest, s) })
		if err != nil {
			return nil, nil, 0, unknownOutcome(fmt.Errorf("record %s is on chain; its receipt: %w", rec.ID, err))
		}
		return &rc, nil, 0, nil
	}
	if s.rec.Head != ([32]byte{}) {
		if s.rec.Head != supersedes {
			return nil, nil, 0, adapters.Reject(adapters.ReasonConflict, fmt.Sprintf("record %s: the registry holds version %s; the record supersedes %q", rec.ID, digestOf(s.rec.Head), rec.Supersedes), nil)
		}
		if s.rec.RecordType != rec.Type {
			return nil, nil, 0, adapters.Reject(adapters.ReasonConflict, fmt.Sprintf("record %s: the registry holds it as type %s, not %s", rec.ID, s.rec.RecordType, rec.Type), nil)
		}
	}
	if !send {
		return nil, nil, 0, fmt.Errorf("record %s: not applied after %d attempts", rec.ID, maxAttempts)
	}
	tx, nonce, err = a.sendWrite(ctx, rec.ID, data)
	return nil, tx, nonce, err
}

// writtenBy returns the RecordWritten log of the version in a mined
// transaction's receipt.
func (a *Adapter) writtenBy(mined *types.Receipt, idHash, digest common.Hash) (types.Log, bool) {
	for _, lg := range mined.Logs {
		if lg.Address == a.cfg.registry && len(lg.Topics) == 3 && lg.Topics[0] == RecordWrittenTopic() &&
			lg.Topics[1] == idHash && lg.Topics[2] == digest {
			return *lg, true
		}
	}
	return types.Log{}, false
}

// await waits until the transaction is mined and has the configured
// confirmations, following it through reorganisations; it returns the
// receipt, the head and the header of the receipt's block. A reverted
// transaction is returned at once; errDropped if the chain dropped it.
func (a *Adapter) await(ctx context.Context, hash common.Hash, nonce uint64) (*types.Receipt, uint64, *types.Header, error) {
	for {
		mined, err := a.waitMined(ctx, hash, nonce)
		if err != nil {
			return nil, 0, nil, err
		}
		if mined.Status != types.ReceiptStatusSuccessful {
			return mined, 0, nil, nil
		}
		head, hdr, err := a.confirm(ctx, mined)
		if !errors.Is(err, errReorged) {
			return mined, head, hdr, err
		}
		// Its block left the chain: wait for it to be included again.
	}
}

// failed turns an error into the right promise: ErrUnavailable only while
// no transaction of this write can be on chain.
func (a *Adapter) failed(sent bool, err error) error {
	if !sent || errors.Is(err, adapters.ErrRejected) {
		return err
	}
	return unknownOutcome(err)
}

var errAlreadyWritten = errors.New("already written")

// sendWrite estimates gas, prices the transaction (EIP-1559 when the chain
// has a base fee) and sends it with the account's next nonce.
func (a *Adapter) sendWrite(ctx context.Context, id string, data []byte) (*types.Transaction, uint64, error) {
	to := a.cfg.registry
	gas, err := a.b.EstimateGas(ctx, ethereum.CallMsg{From: a.from, To: &to, Data: data})
	if err != nil {
		cerr := a.contractError(err)
		if _, ok := cerr.(*registry.RecordRegistryAlreadyWritten); ok {
			return nil, 0, errAlreadyWritten
		}
		if rej := rejectionOf(id, cerr); rej != nil {
			return nil, 0, rej
		}
		return nil, 0, unavailable(fmt.Errorf("estimate gas: %w", err))
	}
	gas += gas * a.cfg.gasMargin / 100
	fees, err := a.fees(ctx)
	if err != nil {
		return nil, 0, unavailable(err)
	}
	return a.send(ctx, func(nonce uint64) types.TxData {
		if fees.base == nil {
			return &types.LegacyTx{Nonce: nonce, GasPrice: fees.price, Gas: gas, To: &to, Data: data}
		}
		return &types.DynamicFeeTx{ChainID: a.chainID, Nonce: nonce, GasTipCap: fees.tip, GasFeeCap: fees.feeCap, Gas: gas, To: &to, Data: data}
	})
}

type fees struct{ base, tip, feeCap, price *big.Int }

// fees returns the fee parameters, cached for one poll interval (about a
// block) so that concurrent writers do not each ask the node.
func (a *Adapter) fees(ctx context.Context) (fees, error) {
	a.feeMu.Lock()
	defer a.feeMu.Unlock()
	if !a.feeAt.IsZero() && time.Since(a.feeAt) < a.cfg.poll {
		return a.feeCache, nil
	}
	f, err := a.freshFees(ctx)
	if err == nil {
		a.feeCache, a.feeAt = f, time.Now()
	}
	return f, err
}

func (a *Adapter) freshFees(ctx context.Context) (fees, error) {
	hdr, err := a.b.HeaderByNumber(ctx, nil)
	if err != nil {
		return fees{}, fmt.Errorf("latest header: %w", err)
	}
	if hdr.BaseFee == nil { // pre-London chain: legacy gas price
		price, err := a.b.SuggestGasPrice(ctx)
		if err != nil {
			return fees{}, fmt.Errorf("gas price: %w", err)
		}
		return fees{price: price}, nil
	}
	tip := a.cfg.tipCap
	if tip == nil {
		if tip, err = a.b.SuggestGasTipCap(ctx); err != nil {
			return fees{}, fmt.Errorf("gas tip: %w", err)
		}
	}
	feeCap := new(big.Int).Add(new(big.Int).Mul(hdr.BaseFee, big.NewInt(2)), tip)
	if c := a.cfg.maxFeeCap; c != nil && feeCap.Cmp(c) > 0 {
		feeCap = new(big.Int).Set(c)
		if tip.Cmp(feeCap) > 0 {
			tip = feeCap
		}
	}
	return fees{base: hdr.BaseFee, tip: tip, feeCap: feeCap}, nil
}

// send signs and sends a transaction under the account's nonce lock.
func (a *Adapter) send(ctx context.Context, build func(nonce uint64) types.TxData) (*types.Transaction, uint64, error) {
	acct := a.acct
	acct.mu.Lock()
	defer acct.mu.Unlock()
	for try := 0; ; try++ {
		if err := ctx.Err(); err != nil {
			return nil, 0, unavailable(err)
		}
		// The send itself is not cut short by ctx: a half-sent transaction
		// would leave the write's fate unknown.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.cfg.sendTimeout)
		if !acct.synced {
			n, err := a.b.PendingNonceAt(sctx, a.from)
			if err != nil {
				cancel()
				return nil, 0, unavailable(fmt.Errorf("pending nonce: %w", err))
			}
			acct.nonce, acct.synced = n, true
		}
		nonce := acct.nonce
		tx, err := types.SignNewTx(a.cfg.key, a.signer, build(nonce))
		if err != nil {
			cancel()
			return nil, 0, unavailable(fmt.Errorf("sign: %w", err))
		}
		err = a.b.SendTransaction(sctx, tx)
		cancel()
		if err == nil {
			acct.nonce++
			return tx, nonce, nil
		}
		switch classifySend(err) {
		case sendKnown:
			acct.nonce++
			return tx, nonce, nil
		case sendNonce:
			acct.synced = false
			if try < 8 {
				continue
			}
			return nil, 0, unavailable(fmt.Errorf("send: nonce kept colliding: %w", err))
		case sendNotApplied:
			acct.synced = false
			return nil, 0, unavailable(fmt.Errorf("send: %w", err))
		default:
			// The node may have taken it: the caller gets it to follow.
			acct.synced = false
			return tx, nonce, unknownOutcome(fmt.Errorf("send transaction %s: %w", tx.Hash(), err))
		}
	}
}

// waitMined polls for the transaction's receipt. It reports errDropped
// when the account's nonce moved past the transaction without it.
// Node errors are retried (the node may be restarting) until ctx ends.
func (a *Adapter) waitMined(ctx context.Context, hash common.Hash, nonce uint64) (*types.Receipt, error) {
	t := time.NewTicker(a.cfg.poll)
	defer t.Stop()
	stuck, polls := 0, 0
	for {
		rc, err := a.b.TransactionReceipt(ctx, hash)
		if err == nil {
			return rc, nil
		}
		if polls++; errors.Is(err, ethereum.NotFound) && polls%nonceCheckEvery == 0 {
			if n, nerr := a.b.NonceAt(ctx, a.from, nil); nerr == nil && n > nonce {
				rc, err := a.b.TransactionReceipt(ctx, hash)
				if err == nil {
					return rc, nil
				}
				if errors.Is(err, ethereum.NotFound) {
					a.resync()
					return nil, errDropped
				}
			}
			// A transaction behind a nonce gap (a reorganisation took back
			// an earlier nonce) is not executable: the pending nonce stays
			// at or below it. Resend with a fresh nonce; the registry
			// refuses the stale copy if it ever executes.
			if pn, perr := a.b.PendingNonceAt(ctx, a.from); perr == nil && pn <= nonce {
				if stuck++; stuck >= stuckPolls {
					a.resync()
					return nil, errDropped
				}
			} else {
				stuck = 0
			}
		}
		select {
		case <-ctx.Done():
			return nil, unknownOutcome(fmt.Errorf("waiting for transaction %s: %w", hash, ctx.Err()))
		case <-a.done:
			return nil, unknownOutcome(fmt.Errorf("waiting for transaction %s: %w", hash, adapters.ErrClosed))
		case <-t.C:
		}
	}
}

// nonceCheckEvery: every this many receipt polls, waitMined also checks
// the account's nonces for a dropped or stranded transaction.
const nonceCheckEvery = 8

// stuckPolls is how many nonce checks a transaction may sit behind a nonce gap
// before the write is resent.
const stuckPolls = 3

func (a *Adapter) resync() {
	a.acct.mu.Lock()
	a.acct.synced = false
	a.acct.mu.Unlock()
}

// confirm waits until the receipt's block has the configured
// confirmations, and reports errReorged if it leaves the canonical chain.
func (a *Adapter) confirm(ctx context.Context, rc *types.Receipt) (uint64, *types.Header, error) {
	t := time.NewTicker(a.cfg.poll)
	defer t.Stop()
	for {
		head, err := a.b.BlockNumber(ctx)
		if err == nil {
			hdr, herr := a.b.HeaderByNumber(ctx, rc.BlockNumber)
			switch {
			case errors.Is(herr, ethereum.NotFound) || (herr == nil && hdr.Hash() != rc.BlockHash):
				return 0, nil, errReorged
			case herr == nil && head+1 >= rc.BlockNumber.Uint64()+a.cfg.confirmations:
				return max(head, hdr.Number.Uint64()), hdr, nil
			}
		}
		select {
		case <-ctx.Done():
			return 0, nil, unknownOutcome(fmt.Errorf("waiting for confirmations of %s: %w", rc.TxHash, ctx.Err()))
		case <-a.done:
			return 0, nil, unknownOutcome(fmt.Errorf("waiting for confirmations of %s: %w", rc.TxHash, adapters.ErrClosed))
		case <-t.C:
		}
	}
}

// awaitConfirmations waits, if needed, until a receipt of a version on
// chain is confirmed, and returns it up to date.
func (a *Adapter) awaitConfirmations(ctx context.Context, rc adapters.Receipt) (adapters.Receipt, error) {
	if rc.Status == adapters.StatusConfirmed {
		return rc, nil
	}
	t := time.NewTicker(a.cfg.poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return rc, unknownOutcome(fmt.Errorf("record %s is on chain; waiting for confirmations: %w", rc.RecordID, ctx.Err()))
		case <-a.done:
			return rc, adapters.ErrClosed
		case <-t.C:
		}
		next, err := a.Receipt(ctx, rc.RecordID, rc.Digest)
		if err == nil {
			rc = next
			if rc.Status == adapters.StatusConfirmed {
				return rc, nil
			}
		}
	}
}
