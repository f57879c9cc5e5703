package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/ledgergate/ledgergate/gateway/auth"
	"github.com/ledgergate/ledgergate/gateway/store"
)

// AuditView answers GET /v1/records/{id}/audit: the record's audit trail,
// newest first.
type AuditView struct {
	Items []store.AuditEntry `json:"items"`
}

// getRecordAudit shows what happened to a record: its acceptance, each
// ledger write's submission and outcome. The record's submitter, officers
// and admins may read it; other partners may not (actors and ledger
// operations are not public fields).
func (s *Server) getRecordAudit(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	id := r.PathValue("id")
	limit, problem := parseLimit(r.URL.Query(), 100)
	if problem != "" {
		writeProblem(w, r, http.StatusBadRequest, "invalid-query", "Invalid query", problem, nil)
		return
	}
	d, ok := s.record(w, r)
	if !ok {
		return
	}
	if !p.CanReadAll(d.Current.Partner) {
		writeProblem(w, r, http.StatusForbidden, "forbidden", "Forbidden", "a record's audit trail is visible to its submitter, officers and admins", nil)
		return
	}
	entries, err := s.cfg.Store.AuditLog(r.Context(), id, limit)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if entries == nil {
		entries = []store.AuditEntry{}
	}
	writeJSON(w, http.StatusOK, AuditView{Items: entries})
}

// parseLimit reads the limit query parameter (1 to 1000, default def);
// problem says what is wrong with it.
func parseLimit(v url.Values, def int) (limit int, problem string) {
	s := v.Get("limit")
	if s == "" {
		return def, ""
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 1000 {
		return 0, fmt.Sprintf("limit=%q: want 1 to 1000", s)
	}
	return n, ""
}
