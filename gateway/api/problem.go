package api

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/ledgergate/ledgergate/gateway/ingest"
	"github.com/ledgergate/ledgergate/schema"
)

// Problem is an RFC 9457 problem detail. Validation problems carry the
// schema's violations (JSON pointer, rule id, message).
type Problem struct {
	Type       string             `json:"type"`
	Title      string             `json:"title"`
	Status     int                `json:"status"`
	Detail     string             `json:"detail,omitempty"`
	Instance   string             `json:"instance,omitempty"`
	Violations []schema.Violation `json:"violations,omitempty"`
}

// ProblemBase prefixes problem type URIs; each is documented in docs/api.md.
const ProblemBase = "https://ledgergate.org/problems/"

func writeProblem(w http.ResponseWriter, r *http.Request, status int, slug, title, detail string, vs []schema.Violation) {
	p := Problem{Type: ProblemBase + slug, Title: title, Status: status, Detail: detail, Instance: r.URL.Path, Violations: vs}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p)
}

// problem is a Problem with its type's slug.
type problem struct {
	Problem
	slug string
}

func newProblem(status int, slug, title, detail string, vs []schema.Violation) *problem {
	return &problem{Problem: Problem{Type: ProblemBase + slug, Title: title, Status: status, Detail: detail, Violations: vs}, slug: slug}
}

// submitProblem turns an error of validating or storing a submission
// that the client caused into its problem; nil for server failures.
func submitProblem(err error) *problem {
	var ve *schema.ValidationError
	switch {
	case errors.As(err, &ve) && errors.Is(err, schema.ErrTooLarge):
		return newProblem(http.StatusRequestEntityTooLarge, "too-large", "Record too large", err.Error(), ve.Violations)
	case errors.As(err, &ve) && errors.Is(err, schema.ErrMalformed):
		return newProblem(http.StatusBadRequest, "malformed", "Malformed JSON", "the body is not acceptable JSON text", ve.Violations)
	case errors.As(err, &ve) && errors.Is(err, schema.ErrUnknownType):
		return newProblem(http.StatusUnprocessableEntity, "unknown-type", "Unknown record type", "the record's type is not registered on this gateway", ve.Violations)
	case errors.As(err, &ve):
		return newProblem(http.StatusUnprocessableEntity, "invalid-record", "Invalid record", "the record breaks one or more rules; see violations", ve.Violations)
	case errors.Is(err, ingest.ErrForbidden):
		return newProblem(http.StatusForbidden, "forbidden-issuer", "Forbidden issuer", err.Error(), nil)
	case errors.Is(err, ingest.ErrConflict):
		return newProblem(http.StatusConflict, "conflict", "Conflicting version",
			err.Error()+"; to replace the stored version, set supersedes to its digest", nil)
	}
	return nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}
