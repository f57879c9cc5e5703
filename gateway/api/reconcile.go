package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/ledgergate/ledgergate/gateway/auth"
	"github.com/ledgergate/ledgergate/gateway/reconcile"
	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/gateway/verify"
)

// DiscrepancyList answers GET /v1/discrepancies.
type DiscrepancyList struct {
	Items []store.Discrepancy `json:"items"`
	Next  string              `json:"next,omitempty"`
}

// listDiscrepancies: officers and admins see every discrepancy; a partner
// only those of its own records.
func (s *Server) listDiscrepancies(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	v := r.URL.Query()
	q := store.DiscrepancyQuery{RecordID: v.Get("recordId"), Ledger: v.Get("ledger"), Verdict: v.Get("verdict"), State: v.Get("state")}
	switch q.Verdict {
	case "", string(reconcile.Missing), string(reconcile.Divergent), string(reconcile.Unverifiable):
	default:
		writeProblem(w, r, http.StatusBadRequest, "invalid-query", "Invalid query", fmt.Sprintf("verdict=%q: want missing, divergent or unverifiable", q.Verdict), nil)
		return
	}
	switch q.State {
	case "", "open", "resolved":
	default:
		writeProblem(w, r, http.StatusBadRequest, "invalid-query", "Invalid query", fmt.Sprintf("state=%q: want open or resolved", q.State), nil)
		return
	}
	if c := v.Get("cursor"); c != "" {
		n, err := strconv.ParseInt(c, 10, 64)
		if err != nil || n < 0 {
			writeProblem(w, r, http.StatusBadRequest, "invalid-query", "Invalid query", fmt.Sprintf("cursor=%q: use the next value of the previous page", c), nil)
			return
		}
		q.After = n
	}
	limit, problem := parseLimit(v, 0)
	if problem != "" {
		writeProblem(w, r, http.StatusBadRequest, "invalid-query", "Invalid query", problem, nil)
		return
	}
	q.Limit = limit
	if p.Role == auth.RolePartner {
		q.Partner = p.ID
	}
	page, err := s.cfg.Store.ListDiscrepancies(r.Context(), q)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	out := DiscrepancyList{Items: page.Items}
	if out.Items == nil {
		out.Items = []store.Discrepancy{}
	}
	if page.Next != 0 {
		out.Next = strconv.FormatInt(page.Next, 10)
	}
	writeJSON(w, http.StatusOK, out)
}

// ReconcileRequest is the body of POST /v1/reconcile.
type ReconcileRequest struct {
	Records []string `json:"records"`
}

// postReconcile re-checks named records now (officers and admins).
func (s *Server) postReconcile(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	if p.Role != auth.RoleOfficer && p.Role != auth.RoleAdmin {
		writeProblem(w, r, http.StatusForbidden, "forbidden", "Forbidden", "reconciliation is for officers and admins", nil)
		return
	}
	if s.cfg.Reconcile == nil {
		writeProblem(w, r, http.StatusServiceUnavailable, "not-configured", "Not configured", "this gateway has no reconciler", nil)
		return
	}
	var req ReconcileRequest
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err == nil {
		err = json.Unmarshal(body, &req)
	}
	if err != nil || len(req.Records) == 0 || len(req.Records) > 1000 {
		writeProblem(w, r, http.StatusBadRequest, "invalid-request", "Invalid request", `send {"records": ["id", ...]} with 1 to 1000 record ids`, nil)
		return
	}
	rep, err := s.cfg.Reconcile.Run(r.Context(), reconcile.Options{RecordIDs: req.Records, KeepConsistent: true})
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if rep.Findings == nil {
		rep.Findings = []reconcile.Finding{}
	}
	writeJSON(w, http.StatusOK, rep)
}

// postVerify checks a record, an id and digest, or receipts against the
// ledgers themselves. Public: no authentication.
func (s *Server) postVerify(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, int64(s.cfg.Registry.MaxSize())+ceOverhead))
	if err != nil {
		s.bodyError(w, r, err)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.RequestTimeout)
	defer cancel()
	var req verify.Request
	if err := json.Unmarshal(body, &req); err != nil {
		writeProblem(w, r, http.StatusBadRequest, "invalid-request", "Invalid request", "the body must be a JSON object: "+err.Error(), nil)
		return
	}
	ls := make([]verify.Ledger, 0, len(s.cfg.Ledgers))
	for _, l := range s.cfg.Ledgers {
		ls = append(ls, verify.Ledger{Name: l.Name, Kind: l.Kind, Adapter: l.Adapter})
	}
	res, err := verify.Check(ctx, ls, req)
	if errors.Is(err, verify.ErrBadRequest) {
		writeProblem(w, r, http.StatusBadRequest, "invalid-request", "Invalid request", err.Error(), nil)
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}
