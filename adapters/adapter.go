// Package adapters defines the contract between the gateway and a ledger.
//
// An adapter translates common-schema records to one ledger and back. The
// required core is Adapter (four methods). Optional capabilities are
// separate interfaces that callers discover by type assertion, in the
// manner of database/sql/driver: Watcher (events from a checkpoint),
// Verifier (check a receipt against the ledger), Submitter (hand a write
// over without waiting for it to commit, then follow it) and Anchorer (many
// digests in one ledger write, with inclusion proofs).
//
// conformance.TestAdapter checks that an implementation honours every
// promise made here.
package adapters

import (
	"context"
	"errors"
	"iter"

	"github.com/ledgergate/ledgergate/schema"
)

// Adapter writes records to one ledger and reads them back. Implementations
// are safe for concurrent use.
type Adapter interface {
	// Write puts a validated record on the ledger under a disclosure
	// policy and returns its receipt once the write is committed.
	//
	// Writing a record whose id and digest the ledger already holds makes
	// no ledger write and returns the existing receipt. A record with an
	// id the ledger holds under another digest is refused with ErrRejected
	// unless its Supersedes names the digest the ledger holds (the current
	// version). A record that fails validation or exceeds the ledger's
	// size limit is refused with ErrRejected before anything reaches the
	// ledger.
	//
	// An error wrapping ErrUnavailable guarantees the record was not
	// applied, so the caller may retry. Any other error leaves the
	// outcome unknown; the caller resolves it with Receipt or Read.
	Write(ctx context.Context, rec *schema.Record, p Policy) (Receipt, error)

	// Read returns the current version of the record with this id, as the
	// ledger holds it. ErrNotFound if the ledger has no such record.
	Read(ctx context.Context, id string) (Entry, error)

	// Receipt returns the up-to-date receipt (status, confirmations) of
	// the write of the given version. ErrNotFound if the ledger never
	// received that version.
	Receipt(ctx context.Context, id string, digest schema.Digest) (Receipt, error)

	// Close releases the adapter's resources. It is idempotent: calls
	// after the first return nil.
	Close() error
}

// Sentinel errors. Adapters wrap them (fmt.Errorf("...: %w", ErrX)) so
// callers can branch with errors.Is.
var (
	// ErrNotFound: the ledger holds no such record or version.
	ErrNotFound = errors.New("not found on ledger")
	// ErrUnavailable: the ledger could not be reached or refused to
	// process the request for a transient reason, AND the write was not
	// applied. Retrying is safe.
	ErrUnavailable = errors.New("ledger unavailable; not applied")
	// ErrRejected: the ledger or the adapter refused the request for a
	// reason a retry will not fix. The error is a *RejectedError.
	ErrRejected = errors.New("rejected")
	// ErrClosed: the adapter was closed.
	ErrClosed = errors.New("adapter closed")
)

// InFlightError reports a write whose outcome is unknown but which the
// adapter can name: it was handed to the ledger and the reply was lost
// (a timeout, a dropped connection), so it may yet land. Receipt has
// status StatusSubmitted and names the write (TxID) and when it was sent.
// A caller with a Submitter follows it with Track, which says whether it
// landed, is still pending, or will not land (ErrNotFound), instead of
// writing again while it may be pending: a second write would still make
// one effect, but on a chain whose writes cost fees it would pay for a
// transaction that fails.
type InFlightError struct {
	Receipt Receipt
	Err     error
}

func (e *InFlightError) Error() string {
	return "write " + e.Receipt.TxID + " may be pending: " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *InFlightError) Unwrap() error { return e.Err }

// Rejection reasons.
const (
	ReasonInvalid   = "invalid"   // the record fails validation or its digest does not match its bytes
	ReasonTooLarge  = "too-large" // the disclosed payload exceeds the ledger's limit
	ReasonConflict  = "conflict"  // the id is held under another digest and the record does not supersede it
	ReasonPolicy    = "policy"    // the disclosure policy is not supported or malformed
	ReasonForbidden = "forbidden" // the ledger refused the writer (permissions, endorsement)
)

// RejectedError explains a rejection. It wraps ErrRejected.
type RejectedError struct {
	Reason string // one of the Reason constants
	Detail string // human-readable explanation
	Err    error  // underlying error, if any
}

func (e *RejectedError) Error() string {
	s := "rejected (" + e.Reason + "): " + e.Detail
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Is makes errors.Is(err, ErrRejected) true.
func (e *RejectedError) Is(target error) bool { return target == ErrRejected }

// Unwrap returns the underlying error.
func (e *RejectedError) Unwrap() error { return e.Err }

// Reject returns a *RejectedError.
func Reject(reason, detail string, err error) error {
	return &RejectedError{Reason: reason, Detail: detail, Err: err}
}

// Watcher is implemented by adapters that can stream the ledger's record
// events.
type Watcher interface {
	// Watch yields every record event after the checkpoint, in ledger
	// order, then waits for new ones. An empty checkpoint starts at the
	// beginning of the ledger. Each event carries the checkpoint to resume
	// after it: resuming loses and duplicates nothing. The sequence ends
	// when ctx is cancelled (without an error) or on an error the adapter
	// cannot recover from (yielded last).
	Watch(ctx context.Context, from Checkpoint) iter.Seq2[Event, error]
}

// Verifier is implemented by adapters that can check a receipt against the
// ledger without the gateway's store.
type Verifier interface {
	// Verify checks that the ledger holds the write the receipt describes,
	// with the receipt's digest, and returns what it found. A receipt the
	// ledger contradicts gives a Verification with OK false, not an error;
	// errors mean the check could not be made.
	Verify(ctx context.Context, r Receipt) (Verification, error)
}

// Submitter is implemented by adapters whose ledger takes a write long
// before it commits it: an Ethereum transaction waits in the node's pool
// for a block, and then for confirmations. A caller that holds a worker
// per Write is held for all of that; with Submit it hands the write over
// and follows it with Track, so the writes in flight are bounded by the
// ledger, not by the caller's workers.
type Submitter interface {
	// Submit makes the write Write would make, with the same checks,
	// idempotence and errors, but returns once the ledger has taken it:
	// a receipt of status StatusSubmitted naming the write (TxID) and
	// the time it was submitted. When the ledger already holds the
	// version it returns that version's receipt instead, and makes no
	// write. An adapter that can name a write whose answer was lost
	// (sent, then a timeout) says so with an *InFlightError, whose
	// receipt Track follows; the Ethereum adapter does.
	Submit(ctx context.Context, rec *schema.Record, p Policy) (Receipt, error)

	// Track returns the up-to-date receipt of a write Submit returned: the
	// same receipt while the write is still pending; status committed or
	// confirmed once the ledger holds the version (by that write or any
	// other). ErrNotFound means the ledger holds no such version and the
	// write will not land (dropped, replaced or reverted): submit again,
	// which still makes at most one effect.
	Track(ctx context.Context, submitted Receipt) (Receipt, error)
}

// Anchorer is implemented by adapters that can anchor many digests in one
// ledger write (a Merkle root) and prove each digest's inclusion.
type Anchorer interface {
	Anchor(ctx context.Context, digests []schema.Digest) (AnchorReceipt, []InclusionProof, error)
}
