package adapters

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/ledgergate/ledgergate/schema"
)

// EnvelopeFields are the fields a redacted record always keeps.
var EnvelopeFields = []string{"id", "type", "schemaVersion", "issuer", "issuedAt", "validFrom", "validUntil", "supersedes"}

// Payload is what an adapter puts on a ledger for one record.
type Payload struct {
	Record *schema.Record
	Policy Policy
	// Content is the disclosed bytes: the canonical record, the canonical
	// redacted record, or nil for digest-only.
	Content []byte
}

// Prepare checks a record and a policy before anything touches a ledger and
// returns the payload to write. It re-validates the record's canonical bytes
// with reg (schema.Default() when nil), checks that the record's id, type,
// supersedes link and digest match those bytes, and refuses a disclosed
// payload larger than maxContent bytes (0: no limit). Every failure is a
// *RejectedError.
func Prepare(reg *schema.Registry, rec *schema.Record, p Policy, maxContent int) (Payload, error) {
	if rec == nil {
		return Payload{}, Reject(ReasonInvalid, "nil record", nil)
	}
	if reg == nil {
		reg = schema.Default()
	}
	if len(rec.Canonical) > reg.MaxSize() {
		return Payload{}, Reject(ReasonTooLarge, fmt.Sprintf("record is %d bytes; limit %d", len(rec.Canonical), reg.MaxSize()), nil)
	}
	got, err := reg.Validate(rec.Canonical)
	if err != nil {
		return Payload{}, Reject(ReasonInvalid, "record "+rec.ID, err)
	}
	switch {
	case got.Digest != rec.Digest:
		return Payload{}, Reject(ReasonInvalid, fmt.Sprintf("record %s: digest %s does not match its canonical bytes (%s)", rec.ID, rec.Digest, got.Digest), nil)
	case got.ID != rec.ID || got.Type != rec.Type || got.Supersedes != rec.Supersedes || got.Issuer != rec.Issuer:
		return Payload{}, Reject(ReasonInvalid, fmt.Sprintf("record %s: envelope fields do not match its canonical bytes", rec.ID), nil)
	}
	var content []byte
	switch p.Disclosure {
	case DisclosureFull:
		content = got.Canonical
	case DisclosureDigest:
	case DisclosureRedacted:
		if content, err = redact(got, p.PublicFields); err != nil {
			return Payload{}, Reject(ReasonPolicy, "redact "+rec.ID, err)
		}
	default:
		return Payload{}, Reject(ReasonPolicy, fmt.Sprintf("unknown disclosure %q (want full, redacted or digest)", p.Disclosure), nil)
	}
	if maxContent > 0 && len(content) > maxContent {
		return Payload{}, Reject(ReasonTooLarge, fmt.Sprintf("record %s: disclosed payload is %d bytes; this ledger takes at most %d", rec.ID, len(content), maxContent), nil)
	}
	return Payload{Record: got, Policy: p, Content: content}, nil
}

// redact returns the canonical form of the record restricted to the
// envelope and the named public fields.
func redact(rec *schema.Record, public []string) ([]byte, error) {
	keep := make(map[string]any)
	for k, v := range rec.Fields() {
		if slices.Contains(EnvelopeFields, k) || slices.Contains(public, k) {
			keep[k] = v
		}
	}
	b, err := json.Marshal(keep)
	if err != nil {
		return nil, err
	}
	return schema.Canonicalize(b)
}
