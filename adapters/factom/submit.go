package factom

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
	"github.com/ledgergate/ledgergate/schema"
)

var _ adapters.Submitter = (*Adapter)(nil)

// Submit implements adapters.Submitter: Write's checks, then the entry's
// commit and reveal. It returns once the ledger has acknowledged the
// entry (TransactionACK: in the process list of the block being built),
// not once the entry is in a directory block, which takes up to a block
// time: ten minutes on the Factom mainnet. The receipt's TxID is the entry
// hash and its Proof names the chain.
func (a *Adapter) Submit(ctx context.Context, rec *schema.Record, p adapters.Policy) (adapters.Receipt, error) {
	r, e, unlock, rc, err := a.begin(ctx, rec, p)
	if err != nil || e == nil {
		return rc, err
	}
	defer unlock()
	if err := a.put(ctx, e, protocol.AckTransactionACK); err != nil {
		return adapters.Receipt{}, err
	}
	proof, err := json.Marshal(Proof{ChainID: e.ChainID.String(), EntryHash: e.Hash().String()})
	if err != nil {
		return adapters.Receipt{}, err
	}
	return adapters.Receipt{
		Ledger: LedgerKind, Network: a.network,
		RecordID: r.ID, Digest: r.Digest, Supersedes: r.Supersedes, Disclosure: p.Disclosure,
		TxID: e.Hash().String(), Status: adapters.StatusSubmitted, Time: time.Now().UTC(), Proof: proof,
	}, nil
}

// unknownAfter is how long an entry may stay unknown to the ledger after
// its submission before Track gives it up: factomd reports a revealed
// entry Unknown for a while, but one still unknown after this was lost
// (the node restarted before the block, say).
const unknownAfter = 2 * time.Minute

// Track implements adapters.Submitter. The index decides once the entry
// is in a directory block it has read: the version's receipt if the
// version counts, ErrNotFound if another version came first. Until then
// the entry's ack says whether it is still coming.
func (a *Adapter) Track(ctx context.Context, rc adapters.Receipt) (adapters.Receipt, error) {
	if err := a.checkOpen(); err != nil {
		return adapters.Receipt{}, err
	}
	if err := a.sync(ctx); err != nil {
		return adapters.Receipt{}, err
	}
	if v := a.idx.version(rc.RecordID, rc.Digest); v != nil {
		return a.receiptOf(ctx, v)
	}
	notFound := func(why string) (adapters.Receipt, error) {
		return adapters.Receipt{}, fmt.Errorf("factom: record %s version %s: entry %s %s: %w", rc.RecordID, rc.Digest, rc.TxID, why, adapters.ErrNotFound)
	}
	var pr Proof
	eh, err := protocol.ParseHash(rc.TxID)
	if err != nil || json.Unmarshal(rc.Proof, &pr) != nil || pr.ChainID == "" {
		return notFound("cannot be followed: the receipt names no entry and chain")
	}
	st, err := a.c.Ack(ctx, eh.String(), pr.ChainID)
	if err != nil {
		return adapters.Receipt{}, fmt.Errorf("factom: ack of entry %s: %w", rc.TxID, readUnavailable(err))
	}
	switch st.EntryData.Status {
	case protocol.AckDBlockConfirmed:
		// In a directory block: the index has not read it yet, or the
		// version rules did not count it, or it is not this version's.
		e, err := a.c.Entry(ctx, eh)
		if err != nil {
			return adapters.Receipt{}, fmt.Errorf("factom: entry %s: %w", eh, readUnavailable(err))
		}
		if m, ok := parseRecordEntry(e); !ok || m.id != rc.RecordID || m.digest != rc.Digest {
			return notFound("is not an entry of this version")
		}
		if head := a.idx.head(rc.RecordID); (head == nil && rc.Supersedes != "") || (head != nil && head.digest != rc.Supersedes) {
			return notFound("reached the ledger after another version of the record, so it does not count")
		}
	case protocol.AckUnknown, "":
		if rc.Time.IsZero() || time.Since(rc.Time) > unknownAfter {
			return notFound(fmt.Sprintf("is unknown to the ledger %s after its submission", unknownAfter))
		}
	}
	return rc.Pending(), nil
}
