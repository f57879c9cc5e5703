// Package ingest accepts records from partners: it validates them,
// checks the submitter may issue them, routes them, and stores each new
// version with one outbox delivery per target ledger, atomically.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ledgergate/ledgergate/gateway/routing"
	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/schema"
)

// Errors callers branch on (validation failures are *schema.ValidationError).
var (
	// ErrForbidden: the submitter may not issue this record (its issuer is
	// not the authenticated partner's).
	ErrForbidden = errors.New("forbidden")
	// ErrConflict: the id is stored under another digest and the record
	// does not supersede the current version.
	ErrConflict = store.ErrConflict
)

// Submitter is who sends a record.
type Submitter struct {
	Partner string // partner id (the account)
	Issuer  string // the issuer id the partner may write as
	// AnyIssuer lets the submitter write as any issuer (admins, watchers
	// of partners' own ledgers).
	AnyIssuer bool
}

// Result is the outcome of a submission.
type Result struct {
	Record     *schema.Record
	Version    store.Version
	Existing   bool // the same version was already stored; nothing changed
	Deliveries []store.NewDelivery
}

// Ingestor accepts records.
type Ingestor struct {
	reg      *schema.Registry
	store    store.Records
	router   *routing.Router
	onAccept func(Submitter, Result)
}

// OnAccept calls fn after each new version is stored (not for a version
// that was already stored). Set it before the Ingestor is used.
func (in *Ingestor) OnAccept(fn func(Submitter, Result)) { in.onAccept = fn }

// New returns an Ingestor.
func New(reg *schema.Registry, s store.Records, r *routing.Router) *Ingestor {
	return &Ingestor{reg: reg, store: s, router: r}
}

// Submit validates data and stores it. Validation errors are returned as
// the registry's *schema.ValidationError (wrapping schema.ErrInvalid and
// friends); nothing is stored then.
func (in *Ingestor) Submit(ctx context.Context, who Submitter, data []byte) (Result, error) {
	rec, err := in.reg.Validate(data)
	if err != nil {
		return Result{}, err
	}
	return in.SubmitRecord(ctx, who, rec)
}

// SubmitRecord stores an already validated record.
func (in *Ingestor) SubmitRecord(ctx context.Context, who Submitter, rec *schema.Record) (Result, error) {
	o := in.SubmitRecords(ctx, who, []*schema.Record{rec})[0]
	return o.Result, o.Err
}

// Outcome is one record's outcome in SubmitRecords.
type Outcome struct {
	Result Result
	Err    error
}

// SubmitRecords stores already validated records, each on its own as
// SubmitRecord would (one record's refusal does not affect the others):
// records with the same id in their order, the others in any order.
// outcomes[i] is recs[i]'s. The store takes them in one call when it
// implements store.BatchAccepter.
func (in *Ingestor) SubmitRecords(ctx context.Context, who Submitter, recs []*schema.Record) []Outcome {
	out := make([]Outcome, len(recs))
	reqs := make([]store.AcceptRequest, 0, len(recs))
	idx := make([]int, 0, len(recs)) // reqs[k] is recs[idx[k]]'s
	for i, rec := range recs {
		if !who.AnyIssuer && rec.Issuer.ID != who.Issuer {
			out[i].Err = fmt.Errorf("record %s: issuer %q is not %s's issuer %q: %w", rec.ID, rec.Issuer.ID, who.Partner, who.Issuer, ErrForbidden)
			continue
		}
		reqs = append(reqs, in.acceptRequest(who, rec))
		idx = append(idx, i)
	}
	if len(reqs) == 0 {
		return out
	}
	for k, o := range store.AcceptAll(ctx, in.store, reqs) {
		i := idx[k]
		if o.Err != nil {
			out[i].Err = o.Err
			continue
		}
		res := Result{Record: recs[i], Version: o.Result.Version, Existing: o.Result.Existing, Deliveries: reqs[k].Deliveries}
		out[i].Result = res
		if !res.Existing && in.onAccept != nil {
			in.onAccept(who, res)
		}
	}
	return out
}

// acceptRequest is what the store is asked to accept for rec: its
// version (with the fields the store indexes), a delivery for each ledger
// its route names, and the audit entry.
func (in *Ingestor) acceptRequest(who Submitter, rec *schema.Record) store.AcceptRequest {
	v := store.Version{
		RecordID: rec.ID, Digest: rec.Digest, Type: rec.Type, SchemaVersion: rec.SchemaVersion,
		Issuer: rec.Issuer.ID, Partner: who.Partner, Supersedes: rec.Supersedes, Canonical: rec.Canonical,
	}
	if s, ok := rec.Fields()["issuedAt"].(string); ok {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			v.IssuedAt = t
		}
	}
	v.HSCodes, v.Countries = IndexCodes(rec.Canonical)
	return store.AcceptRequest{
		Version:    v,
		Deliveries: in.router.Deliveries(who.Partner, rec.Type),
		Audit:      store.AuditEntry{Actor: who.Partner, Action: "record.accepted", Detail: string(rec.Digest)},
	}
}
