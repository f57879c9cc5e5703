// Package store defines the gateway's durable state: record versions,
// their deliveries to ledgers (the outbox), watcher checkpoints and the
// audit log. Implementations: store/sqlite (embedded default) and
// store/postgres. storetest.Run is the one test suite both pass.
package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/schema"
)

// Store is the whole of the gateway's state.
type Store interface {
	Records
	Outbox
	Checkpoints
	Audit
	Discrepancies
	// Close releases the store. It is idempotent.
	Close() error
}

// Sentinel errors.
var (
	ErrNotFound = errors.New("not found")
	// ErrConflict: the record id is held under another digest and the new
	// version does not supersede the current one.
	ErrConflict = errors.New("conflicting version")
	// ErrLeaseLost: the delivery is no longer leased to the caller
	// (another worker took it over after the lease expired).
	ErrLeaseLost = errors.New("delivery lease lost")
	// ErrInvalidQuery: a List filter is malformed.
	ErrInvalidQuery = errors.New("invalid query")
)

// Version is one stored version of a record.
type Version struct {
	RecordID      string        `json:"id"`
	Digest        schema.Digest `json:"digest"`
	Type          string        `json:"type"`
	SchemaVersion string        `json:"schemaVersion"`
	Issuer        string        `json:"issuer"`
	Partner       string        `json:"partner"` // the authenticated submitter
	Supersedes    schema.Digest `json:"supersedes,omitempty"`
	Canonical     []byte        `json:"-"`
	// Index fields for queries, extracted at ingest.
	HSCodes   []string  `json:"-"`
	Countries []string  `json:"-"`
	IssuedAt  time.Time `json:"issuedAt"`
	// Seq orders versions by acceptance; AcceptedAt is when.
	Seq        int64     `json:"seq"`
	AcceptedAt time.Time `json:"acceptedAt"`
}

// NewDelivery asks for a version to be written to one ledger.
type NewDelivery struct {
	Ledger string          `json:"ledger"`
	Policy adapters.Policy `json:"policy"`
}

// Delivery states, in lifecycle order.
const (
	StatePending   = "pending"   // accepted, not yet sent (or to be retried)
	StateSubmitted = "submitted" // handed to the ledger, outcome not yet known
	StateCommitted = "committed" // in a block, not yet as final as required
	StateConfirmed = "confirmed" // final
	StateFailed    = "failed"    // given up; Error says why
)

// Delivery is the outbox row of one version on one ledger.
type Delivery struct {
	RecordID    string            `json:"recordId"`
	Digest      schema.Digest     `json:"digest"`
	Ledger      string            `json:"ledger"`
	Policy      adapters.Policy   `json:"policy"`
	State       string            `json:"state"`
	Attempts    int               `json:"attempts"`
	NextAttempt time.Time         `json:"nextAttempt"`
	Error       string            `json:"error,omitempty"`
	Receipt     *adapters.Receipt `json:"receipt,omitempty"`
	UpdatedAt   time.Time         `json:"updatedAt"`
	// VSeq is the store's key of the delivery's version, set on the
	// deliveries a store returns (0: unknown, looked up by RecordID and
	// Digest). Updates through it skip that lookup.
	VSeq int64 `json:"-"`
}

// AcceptResult says what Accept did.
type AcceptResult struct {
	Version Version
	// Existing is true when this id and digest were already stored:
	// nothing changed.
	Existing bool
}

// Records stores record versions.
type Records interface {
	// Accept stores a new version with its deliveries and an audit entry,
	// atomically. The same id and digest again changes nothing and returns
	// the stored version with Existing set. Another digest for a known id
	// must supersede the current version, else ErrConflict.
	Accept(ctx context.Context, v Version, deliveries []NewDelivery, audit AuditEntry) (AcceptResult, error)
	// Version returns one stored version. ErrNotFound if absent.
	Version(ctx context.Context, id string, digest schema.Digest) (Version, error)
	// Record returns the current version of id, its history (oldest
	// first) and the deliveries of every version.
	Record(ctx context.Context, id string) (RecordDetail, error)
	// List returns current versions matching q, in acceptance order.
	List(ctx context.Context, q Query) (Page, error)
}

// RecordDetail is a record with its history and deliveries.
type RecordDetail struct {
	Current    Version    `json:"current"`
	History    []Version  `json:"history"`
	Deliveries []Delivery `json:"deliveries"`
}

// Query filters List. Zero fields do not filter.
type Query struct {
	Type     string
	Issuer   string
	Partner  string
	HSCode   string // prefix match: "7213" finds 721320
	Country  string
	From, To time.Time // IssuedAt range, [From, To)
	State    string    // records with a delivery in this state
	After    int64     // cursor: Seq of the last item seen
	Limit    int       // default 100, at most 1000
}

// Page is one page of List.
type Page struct {
	Items []Version `json:"items"`
	// Next is the cursor for the following page, 0 when there is none.
	Next int64 `json:"next"`
}

// Outbox is the queue of deliveries the relay works through.
type Outbox interface {
	// Claim leases up to n due deliveries (pending or submitted, next
	// attempt due, lease free or expired) to owner for lease.
	Claim(ctx context.Context, owner string, n int, lease time.Duration) ([]Delivery, error)
	// Update records the outcome of an attempt on a delivery leased to
	// owner. A final state (confirmed, failed) releases the lease; any
	// other keeps the delivery for another attempt at d.NextAttempt.
	// ErrLeaseLost if owner no longer holds the lease. The audit entries
	// are appended in the same transaction, only if the update is stored.
	Update(ctx context.Context, owner string, d Delivery, audit ...AuditEntry) error
	// Progress records a state change (such as submitted, before a ledger
	// write) on a delivery leased to owner, keeping the lease, with its
	// audit entries as Update does. ErrLeaseLost if owner no longer holds
	// the lease.
	Progress(ctx context.Context, owner string, d Delivery, audit ...AuditEntry) error
	// Renew extends the lease owner holds on a delivery to lease from
	// now, for a worker still on it (a ledger write can outlast a lease).
	// ErrLeaseLost if owner no longer holds the lease.
	Renew(ctx context.Context, owner string, d Delivery, lease time.Duration) error
	// DeliveryVersion reads the version a delivery the outbox returned
	// delivers (ErrNotFound if none).
	DeliveryVersion(ctx context.Context, d Delivery) (Version, error)
	// Deliveries lists the deliveries of one version.
	Deliveries(ctx context.Context, id string, digest schema.Digest) ([]Delivery, error)
	// Counts reports how many deliveries are in each state.
	Counts(ctx context.Context) (map[string]int, error)
}

// VersionDeliveries is implemented by stores that read the deliveries of
// many versions in one query (reconciliation scans whole stores).
type VersionDeliveries interface {
	// DeliveriesOfVersions returns the deliveries of the versions with
	// these sequence numbers, keyed by sequence number; a version without
	// deliveries has no key.
	DeliveriesOfVersions(ctx context.Context, seqs []int64) (map[int64][]Delivery, error)
}

// Checkpoints stores watcher positions.
type Checkpoints interface {
	Checkpoint(ctx context.Context, source string) (adapters.Checkpoint, error) // "" when none
	SetCheckpoint(ctx context.Context, source string, cp adapters.Checkpoint) error
}

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	Seq      int64     `json:"seq"`
	Time     time.Time `json:"time"`
	Actor    string    `json:"actor"`  // partner id, "relay", "admin:..."
	Action   string    `json:"action"` // record.accepted, delivery.confirmed, ...
	RecordID string    `json:"recordId,omitempty"`
	Detail   string    `json:"detail,omitempty"`
}

// Audit is the append-only audit log.
type Audit interface {
	AppendAudit(ctx context.Context, e AuditEntry) error
	AuditLog(ctx context.Context, recordID string, limit int) ([]AuditEntry, error)
}

// FieldDiff is one field that differs between two copies of a record.
type FieldDiff struct {
	Pointer  string          `json:"pointer"`            // RFC 6901 JSON pointer
	Expected json.RawMessage `json:"expected,omitempty"` // absent: the expected copy lacks the field
	Found    json.RawMessage `json:"found,omitempty"`    // absent: the found copy lacks the field
}

// Discrepancy is a reconciliation finding that needs attention: a ledger
// (or a legacy system) that does not hold what the gateway accepted.
type Discrepancy struct {
	ID       int64  `json:"id"`
	RecordID string `json:"recordId"`
	Ledger   string `json:"ledger"`  // ledger name, or "legacy:<source>"
	Partner  string `json:"partner"` // the record's submitter (for authorization)
	// Verdict is missing, divergent or unverifiable.
	Verdict  string        `json:"verdict"`
	Expected schema.Digest `json:"expected,omitempty"` // the gateway's current digest
	Found    schema.Digest `json:"found,omitempty"`    // the digest the ledger holds
	// Version relates Found to Expected: older (a version the gateway
	// accepted before the current one), newer (supersedes the current one
	// but was never accepted by the gateway) or unknown.
	Version    string      `json:"version,omitempty"`
	Reason     string      `json:"reason,omitempty"`
	Fields     []FieldDiff `json:"fields,omitempty"`
	FirstSeen  time.Time   `json:"firstSeen"`
	ResolvedAt time.Time   `json:"resolvedAt,omitzero"` // zero while open
}

// DiscrepancyQuery filters ListDiscrepancies. Zero fields do not filter.
type DiscrepancyQuery struct {
	RecordID, Ledger, Verdict, Partner string
	State                              string // "open", "resolved" or "" (both)
	After                              int64  // cursor: ID of the last item seen
	Limit                              int    // default 100, at most 1000
}

// DiscrepancyPage is one page of ListDiscrepancies, in ID order.
type DiscrepancyPage struct {
	Items []Discrepancy `json:"items"`
	Next  int64         `json:"next"` // 0 on the last page
}

// Discrepancies stores reconciliation findings.
type Discrepancies interface {
	// AddDiscrepancies inserts new open discrepancies and returns them
	// with ID (and FirstSeen, when zero) set.
	AddDiscrepancies(ctx context.Context, ds []Discrepancy) ([]Discrepancy, error)
	// ResolveDiscrepancies marks open discrepancies resolved at at.
	ResolveDiscrepancies(ctx context.Context, ids []int64, at time.Time) error
	// ListDiscrepancies returns discrepancies matching q, in ID order.
	ListDiscrepancies(ctx context.Context, q DiscrepancyQuery) (DiscrepancyPage, error)
}
