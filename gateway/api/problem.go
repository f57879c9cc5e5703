package api

import (
	"encoding/json"
	"errors"
	"net/http"

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

// validationProblem turns a schema error into the right problem.
func validationProblem(w http.ResponseWriter, r *http.Request, err error) bool {
	var ve *schema.ValidationError
	if !errors.As(err, &ve) {
		return false
	}
	switch {
	case errors.Is(err, schema.ErrTooLarge):
		writeProblem(w, r, http.StatusRequestEntityTooLarge, "too-large", "Record too large", err.Error(), ve.Violations)
	case errors.Is(err, schema.ErrMalformed):
		writeProblem(w, r, http.StatusBadRequest, "malformed", "Malformed JSON", "the body is not acceptable JSON text", ve.Violations)
	case errors.Is(err, schema.ErrUnknownType):
		writeProblem(w, r, http.StatusUnprocessableEntity, "unknown-type", "Unknown record type", "the record's type is not registered on this gateway", ve.Violations)
	default:
		writeProblem(w, r, http.StatusUnprocessableEntity, "invalid-record", "Invalid record", "the record breaks one or more rules; see violations", ve.Violations)
	}
	return true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}
