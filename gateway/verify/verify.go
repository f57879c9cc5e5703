// Package verify checks records and receipts directly against the ledger
// nodes, without the gateway's store: "is this record (or digest) on the
// ledgers, in a block the ledger itself vouches for?". The gateway's
// POST /v1/verify and 'ledgergate verify' both use it.
//
// Per ledger it asks the node for the write of (id, digest) — or takes the
// receipt given — and has the adapter's Verifier check it against the node:
// Ethereum, the RecordWritten log in the receipt's canonical block (by
// hash) through JSON-RPC; Factom, the entry and its Merkle receipt
// recomputed up to the directory block KeyMR through the v2 API; Fabric,
// the transaction in its block (by number and hash), its validation code
// and the chaincode's event, through the peer's qscc.
package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/schema"
)

// Ledger is one ledger to check against.
type Ledger struct {
	Name    string
	Kind    string
	Adapter adapters.Adapter
}

// Request says what to verify: a record (its digest is computed), or an
// id and a digest; optionally receipts to check as given.
type Request struct {
	Record   json.RawMessage    `json:"record,omitempty"`
	ID       string             `json:"id,omitempty"`
	Digest   schema.Digest      `json:"digest,omitempty"`
	Receipts []adapters.Receipt `json:"receipts,omitempty"`
}

// LedgerResult is what one ledger says.
type LedgerResult struct {
	Ledger string `json:"ledger"`
	Kind   string `json:"kind"`
	// Found: the ledger holds this version of the record.
	Found bool `json:"found"`
	// Verified: the write was checked against the ledger's own blocks.
	Verified bool `json:"verified"`
	// Current: this version is the ledger's current one (false: it was
	// superseded; Head is the current digest). Absent when not found.
	Current       *bool             `json:"current,omitempty"`
	Head          schema.Digest     `json:"head,omitempty"`
	Confirmations uint64            `json:"confirmations,omitempty"`
	Detail        string            `json:"detail"`
	Receipt       *adapters.Receipt `json:"receipt,omitempty"`
}

// Result is the answer.
type Result struct {
	ID     string        `json:"id"`
	Digest schema.Digest `json:"digest"`
	// Verified: at least one ledger holds this version and its proof
	// checks against that ledger.
	Verified bool `json:"verified"`
	// Current: every ledger that holds the record holds this version as
	// its current one.
	Current bool           `json:"current"`
	Ledgers []LedgerResult `json:"ledgers"`
	Summary string         `json:"summary"`
}

// ErrBadRequest wraps problems with the request itself.
var ErrBadRequest = errors.New("bad verification request")

func bad(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadRequest, fmt.Sprintf(format, args...))
}

// Timeout bounds the checks on one ledger.
var Timeout = 20 * time.Second

// Check verifies req against the ledgers. Errors are ErrBadRequest; a
// ledger that cannot be asked is reported in its LedgerResult.
func Check(ctx context.Context, ledgers []Ledger, req Request) (Result, error) {
	res := Result{ID: req.ID, Digest: req.Digest, Ledgers: []LedgerResult{}}
	if len(req.Record) > 0 {
		canon, err := schema.Canonicalize(req.Record)
		if err != nil {
			return res, bad("record: %v", err)
		}
		var env struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(canon, &env)
		if env.ID == "" {
			return res, bad("record: no id")
		}
		d := schema.DigestOf(canon)
		if req.Digest != "" && req.Digest != d {
			return res, bad("the record's digest is %s, not the digest given (%s)", d, req.Digest)
		}
		if req.ID != "" && req.ID != env.ID {
			return res, bad("the record's id is %s, not the id given (%s)", env.ID, req.ID)
		}
		res.ID, res.Digest = env.ID, d
	}
	for _, r := range req.Receipts {
		if res.ID == "" {
			res.ID = r.RecordID
		}
		if res.Digest == "" {
			res.Digest = r.Digest
		}
	}
	if res.ID == "" || res.Digest == "" {
		return res, bad("give a record, or an id and a digest, or a receipt")
	}
	if _, err := schema.ParseDigest(string(res.Digest)); err != nil {
		return res, bad("digest %q: %v", res.Digest, err)
	}
	if len(req.Receipts) > 0 {
		for _, r := range req.Receipts {
			res.Ledgers = append(res.Ledgers, checkReceipt(ctx, ledgers, res.ID, res.Digest, r))
		}
	} else {
		for _, l := range ledgers {
			res.Ledgers = append(res.Ledgers, checkLedger(ctx, l, res.ID, res.Digest))
		}
	}
	res.Current = true
	found := 0
	for _, lr := range res.Ledgers {
		res.Verified = res.Verified || lr.Verified
		if lr.Found {
			found++
		}
		if lr.Current != nil && !*lr.Current {
			res.Current = false
		}
	}
	switch {
	case res.Verified && res.Current:
		res.Summary = fmt.Sprintf("verified: %s version %s is on %d ledger(s), checked against the ledgers' own blocks", res.ID, res.Digest, countVerified(res))
	case res.Verified:
		res.Summary = fmt.Sprintf("verified, but superseded: %s version %s is on the ledgers, and a later version is current", res.ID, res.Digest)
	case found > 0:
		res.Summary = fmt.Sprintf("not verified: %s version %s is recorded, but no proof checked against a ledger", res.ID, res.Digest)
	default:
		res.Summary = fmt.Sprintf("not verified: no ledger holds %s version %s", res.ID, res.Digest)
	}
	return res, nil
}

func countVerified(r Result) int {
	n := 0
	for _, l := range r.Ledgers {
		if l.Verified {
			n++
		}
	}
	return n
}

func checkLedger(ctx context.Context, l Ledger, id string, digest schema.Digest) LedgerResult {
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	lr := LedgerResult{Ledger: l.Name, Kind: l.Kind}
	rc, err := l.Adapter.Receipt(ctx, id, digest)
	switch {
	case errors.Is(err, adapters.ErrNotFound):
		lr.Detail = "the ledger holds no such version"
		if e, err := l.Adapter.Read(ctx, id); err == nil {
			lr.Head = e.Digest
			lr.Detail += fmt.Sprintf("; its current version of %s is %s", id, e.Digest)
		}
		return lr
	case err != nil:
		lr.Detail = "could not ask the ledger: " + err.Error()
		return lr
	}
	lr.Found, lr.Receipt = true, &rc
	verifyOn(ctx, l, rc, &lr)
	if e, err := l.Adapter.Read(ctx, id); err == nil {
		cur := e.Digest == digest
		lr.Current, lr.Head = &cur, e.Digest
		if !cur {
			lr.Detail += fmt.Sprintf("; superseded: the ledger's current version is %s", e.Digest)
		}
	}
	return lr
}

func verifyOn(ctx context.Context, l Ledger, rc adapters.Receipt, lr *LedgerResult) {
	v, ok := l.Adapter.(adapters.Verifier)
	if !ok {
		lr.Detail = "the ledger holds the version; this adapter cannot check proofs independently"
		return
	}
	ver, err := v.Verify(ctx, rc)
	if err != nil {
		lr.Detail = "could not check the proof: " + err.Error()
		return
	}
	lr.Verified = ver.OK && ver.Digest == rc.Digest
	lr.Confirmations = ver.Confirmations
	lr.Detail = ver.Detail
}

func checkReceipt(ctx context.Context, ledgers []Ledger, id string, digest schema.Digest, rc adapters.Receipt) LedgerResult {
	lr := LedgerResult{Kind: rc.Ledger, Receipt: &rc}
	if rc.RecordID != id || rc.Digest != digest {
		lr.Detail = fmt.Sprintf("the receipt is for %s %s, not %s %s", rc.RecordID, rc.Digest, id, digest)
		return lr
	}
	var tried []string
	for _, l := range ledgers {
		if l.Kind != rc.Ledger {
			continue
		}
		ctx, cancel := context.WithTimeout(ctx, Timeout)
		cand := LedgerResult{Ledger: l.Name, Kind: l.Kind, Receipt: &rc, Found: true}
		verifyOn(ctx, l, rc, &cand)
		cancel()
		if cand.Verified {
			return cand
		}
		tried = append(tried, l.Name+": "+cand.Detail)
	}
	if len(tried) == 0 {
		lr.Detail = fmt.Sprintf("no %s ledger is configured to check this receipt against", rc.Ledger)
	} else {
		lr.Detail = "not verified: " + strings.Join(tried, "; ")
	}
	return lr
}

// ParseFile reads what 'ledgergate verify FILE' accepts: a record (any
// common-schema record), a receipt, a GET /v1/records/{id} answer (its
// record and every ledger receipt), or a Request.
func ParseFile(b []byte) (Request, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(b, &probe); err != nil {
		return Request{}, bad("not a JSON object: %v", err)
	}
	switch {
	case probe["txId"] != nil && probe["ledger"] != nil: // a receipt
		var rc adapters.Receipt
		if err := json.Unmarshal(b, &rc); err != nil {
			return Request{}, bad("receipt: %v", err)
		}
		return Request{Receipts: []adapters.Receipt{rc}}, nil
	case probe["ledgers"] != nil && probe["statusUrl"] == nil && probe["digest"] != nil: // a record view
		var view struct {
			ID      string          `json:"id"`
			Digest  schema.Digest   `json:"digest"`
			Record  json.RawMessage `json:"record"`
			Ledgers []struct {
				Receipt *adapters.Receipt `json:"receipt"`
			} `json:"ledgers"`
		}
		if err := json.Unmarshal(b, &view); err != nil {
			return Request{}, bad("record view: %v", err)
		}
		req := Request{ID: view.ID, Digest: view.Digest, Record: view.Record}
		for _, l := range view.Ledgers {
			if l.Receipt != nil {
				req.Receipts = append(req.Receipts, *l.Receipt)
			}
		}
		return req, nil
	case probe["record"] != nil || (probe["digest"] != nil && probe["type"] == nil):
		var req Request
		if err := json.Unmarshal(b, &req); err != nil {
			return Request{}, bad("%v", err)
		}
		return req, nil
	default: // a record
		return Request{Record: json.RawMessage(b)}, nil
	}
}
