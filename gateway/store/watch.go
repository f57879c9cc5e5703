package store

import (
	"context"
	"encoding/json"
	"time"
)

// Dead-letter kinds.
const (
	DeadLetterSource  = "source"  // a watched ledger event that failed mapping, validation or acceptance
	DeadLetterWebhook = "webhook" // an event a webhook did not take after every retry
)

// Dead-letter states.
const (
	DeadLetterOpen     = "open"     // waiting for a fix and a retry
	DeadLetterResolved = "resolved" // a retry succeeded (or an operator closed it)
)

// DeadLetter is an item the gateway could not process, kept visibly with
// its native payload and the error until it is retried successfully.
type DeadLetter struct {
	ID     int64  `json:"id"`
	Kind   string `json:"kind"`   // DeadLetterSource or DeadLetterWebhook
	Source string `json:"source"` // the source or webhook name
	// Key identifies the item within its source (a native position such
	// as "0xtx:3", an entry hash, an event sequence); (Kind, Source, Key)
	// is unique.
	Key        string          `json:"key"`
	Payload    json.RawMessage `json:"payload"`
	Provenance json.RawMessage `json:"provenance,omitempty"`
	Error      string          `json:"error"`
	State      string          `json:"state"`
	Attempts   int             `json:"attempts"`
	CreatedAt  time.Time       `json:"createdAt"`
	UpdatedAt  time.Time       `json:"updatedAt"`
}

// DeadLetterQuery filters DeadLetters. Zero fields do not filter.
type DeadLetterQuery struct {
	Kind   string
	Source string
	State  string
	After  int64 // cursor: ID of the last item seen
	Limit  int   // default 100, at most 1000
}

// DeadLetters stores dead-letter items.
type DeadLetters interface {
	// AddDeadLetter stores d (ID, State, Attempts and times are set by the
	// store). The same (Kind, Source, Key) again updates the payload and
	// error, reopens the item and counts another attempt.
	AddDeadLetter(ctx context.Context, d DeadLetter) (DeadLetter, error)
	// DeadLetter returns one item; ErrNotFound if absent.
	DeadLetter(ctx context.Context, id int64) (DeadLetter, error)
	// DeadLetters lists items in ID order.
	DeadLetters(ctx context.Context, q DeadLetterQuery) ([]DeadLetter, error)
	// ResolveDeadLetter marks an item resolved; ErrNotFound if absent.
	ResolveDeadLetter(ctx context.Context, id int64) error
}

// Leases are named, expiring locks shared by gateway instances on one
// store: exactly one instance watches each source.
type Leases interface {
	// AcquireLease takes the lease name for owner until now+ttl when it is
	// free, expired, or already owner's (a renewal). It reports whether
	// owner holds the lease afterwards.
	AcquireLease(ctx context.Context, name, owner string, ttl time.Duration) (bool, error)
	// ReleaseLease gives the lease up if owner holds it.
	ReleaseLease(ctx context.Context, name, owner string) error
	// LeaseHolder reports who holds the lease and until when ("" if
	// nobody ever did).
	LeaseHolder(ctx context.Context, name string) (owner string, until time.Time, err error)
}
