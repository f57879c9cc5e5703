package factom

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/factom/client"
	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
	"github.com/ledgergate/ledgergate/schema"
)

// Write implements adapters.Adapter.
func (a *Adapter) Write(ctx context.Context, rec *schema.Record, p adapters.Policy) (adapters.Receipt, error) {
	r, e, unlock, rc, err := a.begin(ctx, rec, p)
	if err != nil || e == nil {
		return rc, err
	}
	defer unlock()
	if err := a.put(ctx, e, protocol.AckDBlockConfirmed); err != nil {
		return adapters.Receipt{}, err
	}
	// The entry is in a directory block: find what the ledger made of it.
	// factomd may acknowledge the block a moment before its API reports
	// the new height, so a version not found yet is looked for again for
	// a few seconds.
	for attempt := 0; ; attempt++ {
		if err := a.sync(ctx); err != nil {
			return adapters.Receipt{}, fmt.Errorf("factom: entry %s is on the ledger, but reading it back failed: %w", e.Hash(), stripUnavailable(err))
		}
		if v := a.idx.version(r.ID, r.Digest); v != nil {
			return a.receiptOf(ctx, v)
		}
		if attempt == readBackAttempts || a.checkSupersedes(r) != nil {
			break
		}
		if err := a.sleep(ctx, readBackInterval); err != nil {
			return adapters.Receipt{}, fmt.Errorf("factom: entry %s is on the ledger, but reading it back was cut short: %w", e.Hash(), err)
		}
	}
	if err := a.checkSupersedes(r); err != nil {
		return adapters.Receipt{}, fmt.Errorf("factom: entry %s reached the ledger after another writer's version of %s, so it does not count: %w", e.Hash(), r.ID, err)
	}
	return adapters.Receipt{}, fmt.Errorf("factom: entry %s is confirmed, but the index does not hold record %s", e.Hash(), r.ID)
}

// begin makes the checks of a write and takes the record id's write lock.
// It returns the entry to put and the function that releases the lock,
// or, when the ledger holds the version already, no entry and the
// version's receipt.
func (a *Adapter) begin(ctx context.Context, rec *schema.Record, p adapters.Policy) (*schema.Record, *protocol.Entry, func(), adapters.Receipt, error) {
	if err := a.checkOpen(); err != nil {
		return nil, nil, nil, adapters.Receipt{}, err
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, nil, adapters.Receipt{}, fmt.Errorf("factom: %w: %w", adapters.ErrUnavailable, err)
	}
	pl, err := adapters.Prepare(a.reg, rec, p, a.maxContent)
	if err != nil {
		return nil, nil, nil, adapters.Receipt{}, err
	}
	r := pl.Record
	e := recordEntry(a.ns, pl)
	if err := e.Validate(); err != nil {
		return nil, nil, nil, adapters.Receipt{}, adapters.Reject(adapters.ReasonTooLarge, "record "+r.ID+" does not fit a Factom entry", err)
	}
	unlock := a.ids.lock(r.ID)
	fail := func(err error) (*schema.Record, *protocol.Entry, func(), adapters.Receipt, error) {
		unlock()
		return nil, nil, nil, adapters.Receipt{}, err
	}
	if err := a.sync(ctx); err != nil {
		return fail(err)
	}
	if v := a.idx.version(r.ID, r.Digest); v != nil {
		defer unlock()
		rc, err := a.receiptOf(ctx, v) // already on the ledger: no second write
		return r, nil, nil, rc, err
	}
	if err := a.checkSupersedes(r); err != nil {
		return fail(err)
	}
	if err := a.ensureChain(ctx, ChainFor(a.ns, r.Issuer.ID, r.Type)); err != nil {
		return fail(err)
	}
	return r, e, unlock, adapters.Receipt{}, nil
}

// Reading a confirmed entry back: up to readBackAttempts more syncs,
// readBackInterval apart.
const (
	readBackAttempts = 25
	readBackInterval = 200 * time.Millisecond
)

// checkSupersedes applies the version rule against the current head.
func (a *Adapter) checkSupersedes(r *schema.Record) error {
	head := a.idx.head(r.ID)
	switch {
	case head == nil && r.Supersedes != "":
		return adapters.Reject(adapters.ReasonConflict, fmt.Sprintf("record %s supersedes %s, but the ledger holds no version of it", r.ID, r.Supersedes), nil)
	case head != nil && r.Supersedes != head.digest:
		return adapters.Reject(adapters.ReasonConflict, fmt.Sprintf("record %s is held with digest %s; a new version must supersede it (supersedes is %q)", r.ID, head.digest, r.Supersedes), nil)
	}
	return nil
}

// stripUnavailable keeps a read failure after an applied write from being
// mistaken for "not applied".
func stripUnavailable(err error) error {
	if errors.Is(err, adapters.ErrUnavailable) {
		return errors.New(strings.Replace(err.Error(), adapters.ErrUnavailable.Error(), "ledger unreachable", 1))
	}
	return err
}

// ensureChain creates the chain whose first entry is first unless the
// ledger has it.
func (a *Adapter) ensureChain(ctx context.Context, first *protocol.Entry) error {
	if a.idx.ourChain(first.ChainID) {
		return nil
	}
	defer a.chains.lock(first.ChainID.String())()
	head, err := a.c.ChainHead(ctx, first.ChainID)
	switch {
	case err == nil && (head.ChainHead != "" || head.ChainInProcessList):
		return nil
	case err != nil && !client.IsCode(err, protocol.CodeMissingHead):
		return fmt.Errorf("factom: chain-head: %w", unavailable(err))
	}
	cc, err := protocol.NewCommitChain(first, a.key, time.Now())
	if err != nil {
		return err
	}
	if _, err := a.c.CommitChain(ctx, cc); err != nil && !client.IsCode(err, protocol.CodeRepeatedCommit) {
		return fmt.Errorf("factom: create chain %s: %w", first.ChainID, commitError(err))
	}
	a.idx.remember(first)
	if _, err := a.c.RevealChain(ctx, first); err != nil && !alreadyThere(err) {
		return fmt.Errorf("factom: create chain %s: %w", first.ChainID, unavailable(err))
	}
	// Entries may follow once the chain is in the process list.
	return a.waitAck(ctx, first, protocol.AckTransactionACK)
}

// put commits and reveals e and waits until its ack reaches status want.
func (a *Adapter) put(ctx context.Context, e *protocol.Entry, want string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("factom: %w: %w", adapters.ErrUnavailable, err)
	}
	ce, err := protocol.NewCommitEntry(e, a.key, time.Now())
	if err != nil {
		return adapters.Reject(adapters.ReasonTooLarge, "entry does not fit", err)
	}
	if _, err := a.c.CommitEntry(ctx, ce); err != nil && !client.IsCode(err, protocol.CodeRepeatedCommit) {
		// A repeated commit means the entry is paid for already (another
		// writer, or an earlier attempt): reveal and wait for it.
		return fmt.Errorf("factom: commit entry %s: %w", e.Hash(), commitError(err))
	}
	a.idx.remember(e)
	if _, err := a.c.RevealEntry(ctx, e); err != nil && !alreadyThere(err) {
		// The commit is paid but the entry is not revealed: not applied,
		// but only a dial failure proves the reveal never arrived.
		return fmt.Errorf("factom: reveal entry %s: %w", e.Hash(), unavailable(err))
	}
	return a.waitAck(ctx, e, want)
}

// commitError maps a refused commit: nothing was applied.
func commitError(err error) error {
	var re *protocol.RPCError
	if errors.As(err, &re) {
		if strings.Contains(string(re.Data), "Insufficient entry credits") {
			return fmt.Errorf("%w: %w", adapters.ErrUnavailable, err)
		}
		return adapters.Reject(adapters.ReasonForbidden, "the ledger refused the commit", err)
	}
	return unavailable(err)
}

// alreadyThere reports a chain reveal refused because the chain is on the
// ledger already (the embedded node says so; factomd drops it silently).
func alreadyThere(err error) bool {
	var re *protocol.RPCError
	return errors.As(err, &re) && strings.Contains(string(re.Data), "exists")
}

// ackRank orders ack statuses.
func ackRank(s string) int {
	switch s {
	case protocol.AckDBlockConfirmed:
		return 3
	case protocol.AckTransactionACK:
		return 2
	case protocol.AckNotConfirmed:
		return 1
	}
	return 0
}

// waitAck polls ack until e reaches status want, at intervals growing to
// the poll interval. factomd reports Unknown
// for a while after a reveal, then TransactionACK, then DBlockConfirmed;
// if an entry stays Unknown for many polls, its reveal is sent again (a
// reveal is idempotent).
func (a *Adapter) waitAck(ctx context.Context, e *protocol.Entry, want string) error {
	eh := e.Hash()
	unknown := 0
	wait := max(time.Millisecond, a.poll/32) // poll soon after the reveal, then back off
	for {
		st, err := a.c.Ack(ctx, eh.String(), e.ChainID.String())
		if err == nil {
			if ackRank(st.EntryData.Status) >= ackRank(want) {
				return nil
			}
			if st.EntryData.Status == protocol.AckUnknown {
				if unknown++; unknown%50 == 0 {
					_, _ = a.c.RevealEntry(ctx, e)
				}
			}
		}
		if err := a.sleep(ctx, wait); err != nil {
			return fmt.Errorf("factom: entry %s was revealed; waiting for %s: %w", eh, want, err)
		}
		wait = min(2*wait, a.poll)
	}
}
