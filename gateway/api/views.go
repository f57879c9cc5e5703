package api

import (
	"encoding/json"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/schema"
)

// Record statuses, derived from the record's deliveries.
const (
	StatusAccepted  = "accepted"  // stored; no ledger write started
	StatusSubmitted = "submitted" // at least one ledger write in flight
	StatusCommitted = "committed" // on every ledger, not yet final everywhere
	StatusConfirmed = "confirmed" // final on every ledger
	StatusFailed    = "failed"    // at least one ledger gave up; see ledgers[].error
)

// Status derives a record's status from its current version's deliveries.
func Status(ds []store.Delivery) string {
	if len(ds) == 0 {
		return StatusAccepted
	}
	n := map[string]int{}
	for _, d := range ds {
		n[d.State]++
	}
	switch {
	case n[store.StateFailed] > 0:
		return StatusFailed
	case n[store.StateConfirmed] == len(ds):
		return StatusConfirmed
	case n[store.StateConfirmed]+n[store.StateCommitted] == len(ds):
		return StatusCommitted
	case n[store.StatePending] == len(ds):
		return StatusAccepted
	default:
		return StatusSubmitted
	}
}

// AcceptedView answers POST /v1/records.
type AcceptedView struct {
	ID        string        `json:"id"`
	Digest    schema.Digest `json:"digest"`
	Status    string        `json:"status"`
	StatusURL string        `json:"statusUrl"`
	Existing  bool          `json:"existing"`
	Ledgers   []string      `json:"ledgers"`
}

// SummaryView is a record in a list.
type SummaryView struct {
	ID            string          `json:"id"`
	Type          string          `json:"type"`
	SchemaVersion string          `json:"schemaVersion"`
	Issuer        string          `json:"issuer"`
	Partner       string          `json:"partner"`
	Digest        schema.Digest   `json:"digest"`
	Supersedes    schema.Digest   `json:"supersedes,omitempty"`
	IssuedAt      time.Time       `json:"issuedAt"`
	AcceptedAt    time.Time       `json:"acceptedAt"`
	Status        string          `json:"status"`
	Public        bool            `json:"publicView"` // true: content withheld from this caller
	Record        json.RawMessage `json:"record,omitempty"`
}

// LedgerView is a record's provenance on one ledger.
type LedgerView struct {
	Ledger        string              `json:"ledger"`
	State         string              `json:"state"`
	Disclosure    adapters.Disclosure `json:"disclosure"`
	Attempts      int                 `json:"attempts"`
	Error         string              `json:"error,omitempty"`
	UpdatedAt     time.Time           `json:"updatedAt"`
	Confirmations uint64              `json:"confirmations"`
	Receipt       *adapters.Receipt   `json:"receipt,omitempty"`
}

// VersionView is one entry of a record's history.
type VersionView struct {
	Digest     schema.Digest `json:"digest"`
	Supersedes schema.Digest `json:"supersedes,omitempty"`
	AcceptedAt time.Time     `json:"acceptedAt"`
	Partner    string        `json:"partner"`
	Current    bool          `json:"current"`
}

// RecordView answers GET /v1/records/{id}.
type RecordView struct {
	SummaryView
	Ledgers []LedgerView  `json:"ledgers"`
	History []VersionView `json:"history"`
}

// ListView answers GET /v1/records.
type ListView struct {
	Items []SummaryView `json:"items"`
	// Next is the cursor of the following page; absent on the last page.
	Next string `json:"next,omitempty"`
}

func summary(v store.Version, status string, full bool) SummaryView {
	s := SummaryView{ID: v.RecordID, Type: v.Type, SchemaVersion: v.SchemaVersion, Issuer: v.Issuer, Partner: v.Partner,
		Digest: v.Digest, Supersedes: v.Supersedes, IssuedAt: v.IssuedAt, AcceptedAt: v.AcceptedAt, Status: status, Public: !full}
	if full {
		s.Record = json.RawMessage(v.Canonical)
	}
	return s
}

func ledgerViews(ds []store.Delivery, digest schema.Digest, full bool) []LedgerView {
	out := []LedgerView{}
	for _, d := range ds {
		if d.Digest != digest {
			continue
		}
		lv := LedgerView{Ledger: d.Ledger, State: d.State, Disclosure: d.Policy.Disclosure, Attempts: d.Attempts, UpdatedAt: d.UpdatedAt}
		if full {
			lv.Error = d.Error
		}
		if d.Receipt != nil {
			lv.Receipt = d.Receipt
			lv.Confirmations = d.Receipt.Confirmations
		}
		out = append(out, lv)
	}
	return out
}

func currentDeliveries(ds []store.Delivery, digest schema.Digest) []store.Delivery {
	var out []store.Delivery
	for _, d := range ds {
		if d.Digest == digest {
			out = append(out, d)
		}
	}
	return out
}
