// Package events turns the gateway's state changes into CloudEvents with a
// stable type vocabulary (docs/events.md) and delivers them: a bus with a
// bounded replay ring (the websocket stream reads it), signed HTTP
// webhooks with retries and dead letters, and NATS JetStream so several
// gateway instances share one event stream.
package events

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	cloudevents "github.com/cloudevents/sdk-go/v2"
	"github.com/google/uuid"
)

// The type vocabulary. These strings are stable: new types may be added,
// existing ones keep their meaning and data shape.
const (
	// TypeAccepted: a new record version was validated and stored.
	TypeAccepted = "org.ledgergate.record.accepted"
	// TypeSubmitted: a version was handed to a ledger (outcome not yet known).
	TypeSubmitted = "org.ledgergate.record.submitted"
	// TypeCommitted: a version is in a ledger block, not yet final.
	TypeCommitted = "org.ledgergate.record.committed"
	// TypeConfirmed: a version is final on a ledger.
	TypeConfirmed = "org.ledgergate.record.confirmed"
	// TypeFailed: the gateway gave up writing a version to a ledger.
	TypeFailed = "org.ledgergate.record.failed"
	// TypeObserved: a record was observed on a partner's own ledger
	// (a watched source), mapped and accepted.
	TypeObserved = "org.ledgergate.record.observed"
	// TypeDiscrepancy: reconciliation found ledgers or the store disagree
	// about a record.
	TypeDiscrepancy = "org.ledgergate.record.discrepancy"
	// TypeDeadLettered: a watched ledger event or a webhook delivery
	// became a dead-letter item.
	TypeDeadLettered = "org.ledgergate.deadletter.created"
	// TypeStreamGap: (websocket stream only) events between two sequence
	// numbers are no longer in the replay ring and were skipped.
	TypeStreamGap = "org.ledgergate.stream.gap"
)

// Types lists the vocabulary (without the stream-only TypeStreamGap).
var Types = []string{TypeAccepted, TypeSubmitted, TypeCommitted, TypeConfirmed, TypeFailed, TypeObserved, TypeDiscrepancy, TypeDeadLettered}

// Extension attribute names (CloudEvents extensions are lowercase).
const (
	ExtPartner    = "partner"    // the partner account the record belongs to
	ExtRecordType = "recordtype" // the record's type, e.g. CertificateOfOrigin
	ExtLedger     = "ledger"     // the ledger (delivery events, observed events)
	ExtSequence   = "sequence"   // position in the gateway's event stream (decimal string)
)

// DefaultSource is the CloudEvents source of the gateway's events.
const DefaultSource = "urn:ledgergate:gateway"

// Attrs are the attributes filters select on.
type Attrs struct {
	Partner    string
	RecordType string
	Ledger     string
	// Subject is the record id (CloudEvents subject).
	Subject string
}

// New builds an event of type typ with JSON data.
func New(typ string, a Attrs, data any) (cloudevents.Event, error) {
	ev := cloudevents.NewEvent()
	ev.SetID(uuid.NewString())
	ev.SetSource(DefaultSource)
	ev.SetType(typ)
	ev.SetTime(time.Now().UTC())
	if a.Subject != "" {
		ev.SetSubject(a.Subject)
	}
	if a.Partner != "" {
		ev.SetExtension(ExtPartner, a.Partner)
	}
	if a.RecordType != "" {
		ev.SetExtension(ExtRecordType, a.RecordType)
	}
	if a.Ledger != "" {
		ev.SetExtension(ExtLedger, a.Ledger)
	}
	if err := ev.SetData(cloudevents.ApplicationJSON, data); err != nil {
		return ev, fmt.Errorf("events: %s data: %w", typ, err)
	}
	return ev, nil
}

// Publisher publishes gateway events. Publish must not block on slow
// consumers; an error means the event was not published.
type Publisher interface {
	Publish(ctx context.Context, ev cloudevents.Event) error
}

// PublisherFunc adapts a function.
type PublisherFunc func(ctx context.Context, ev cloudevents.Event) error

// Publish implements Publisher.
func (f PublisherFunc) Publish(ctx context.Context, ev cloudevents.Event) error { return f(ctx, ev) }

// Discard publishes nothing.
var Discard Publisher = PublisherFunc(func(context.Context, cloudevents.Event) error { return nil })

// attrsOf reads the filter attributes back from an event.
func attrsOf(ev *cloudevents.Event) (partner, recordType string) {
	ext := ev.Extensions()
	if v, ok := ext[ExtPartner].(string); ok {
		partner = v
	}
	if v, ok := ext[ExtRecordType].(string); ok {
		recordType = v
	}
	return partner, recordType
}

// Sequence returns an event's stream sequence (0 if it has none).
func Sequence(ev *cloudevents.Event) uint64 {
	s, _ := ev.Extensions()[ExtSequence].(string)
	n, _ := strconv.ParseUint(s, 10, 64)
	return n
}

// RecordData is the data of record events.
type RecordData struct {
	RecordID   string          `json:"recordId"`
	Digest     string          `json:"digest"`
	Type       string          `json:"type"`
	Issuer     string          `json:"issuer,omitempty"`
	Partner    string          `json:"partner,omitempty"`
	Supersedes string          `json:"supersedes,omitempty"`
	Ledger     string          `json:"ledger,omitempty"`
	State      string          `json:"state,omitempty"`
	Previous   string          `json:"previous,omitempty"`
	Attempts   int             `json:"attempts,omitempty"`
	Error      string          `json:"error,omitempty"`
	Receipt    json.RawMessage `json:"receipt,omitempty"`
	// Source and Provenance: observed records (the watched source and the
	// native position of the event on the partner's ledger).
	Source     string          `json:"source,omitempty"`
	Provenance json.RawMessage `json:"provenance,omitempty"`
	// Ledgers and Detail: discrepancies.
	Ledgers []string `json:"ledgers,omitempty"`
	Detail  string   `json:"detail,omitempty"`
}

// Discrepancy builds a TypeDiscrepancy event for the reconciliation
// engine: what disagrees about which record, on which ledgers.
func Discrepancy(recordID, recordType, partner string, ledgers []string, detail string) (cloudevents.Event, error) {
	return New(TypeDiscrepancy, Attrs{Partner: partner, RecordType: recordType, Subject: recordID},
		RecordData{RecordID: recordID, Type: recordType, Partner: partner, Ledgers: ledgers, Detail: detail})
}
