package watch

import (
	"context"
	"iter"

	"github.com/ledgergate/ledgergate/adapters"
)

// Native is one event from a partner's ledger, or (Payload and Err nil,
// Key empty) a bare checkpoint: the source scanned further without
// finding events.
type Native struct {
	// Key identifies the event within the source (a tx hash and log
	// index, an entry hash).
	Key string
	// Payload is the decoded native payload, the mapping's input.
	Payload any
	// Err is set when the native event could not be decoded; Raw then
	// holds what the ledger gave.
	Err        error
	Raw        any
	Provenance Provenance
	// Checkpoint resumes just after this event.
	Checkpoint adapters.Checkpoint
}

// Source streams a partner ledger's native events from a checkpoint, in
// ledger order, then waits for new ones. Transient ledger errors are
// retried inside; the sequence ends when ctx is cancelled, or with an
// error it cannot recover from (yielded last).
type Source interface {
	Watch(ctx context.Context, from adapters.Checkpoint) iter.Seq2[Native, error]
	// Kind is the ledger kind: ethereum, factom, fabric.
	Kind() string
}
