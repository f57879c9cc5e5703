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
	if !who.AnyIssuer && rec.Issuer.ID != who.Issuer {
		return Result{}, fmt.Errorf("record %s: issuer %q is not %s's issuer %q: %w", rec.ID, rec.Issuer.ID, who.Partner, who.Issuer, ErrForbidden)
	}
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
	deliveries := in.router.Deliveries(who.Partner, rec.Type)
	res, err := in.store.Accept(ctx, v, deliveries, store.AuditEntry{
		Actor: who.Partner, Action: "record.accepted", Detail: string(rec.Digest),
	})
	if err != nil {
		return Result{}, err
	}
	out := Result{Record: rec, Version: res.Version, Existing: res.Existing, Deliveries: deliveries}
	if !res.Existing && in.onAccept != nil {
		in.onAccept(who, out)
	}
	return out, nil
}
