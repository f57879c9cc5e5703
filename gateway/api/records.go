package api

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cloudevents/sdk-go/v2/binding"
	cehttp "github.com/cloudevents/sdk-go/v2/protocol/http"
	"github.com/ledgergate/ledgergate/gateway/auth"
	"github.com/ledgergate/ledgergate/gateway/ingest"
	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/schema"
)

// ceOverhead is what a CloudEvents envelope may add to a record's size.
const ceOverhead = 64 << 10

// readRecord extracts the record bytes from a plain JSON body or a
// CloudEvent (structured or binary mode) whose data is the record.
func (s *Server) readRecord(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	limit := int64(s.cfg.Registry.MaxSize())
	r.Body = http.MaxBytesReader(w, r.Body, limit+ceOverhead)
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	isCE := r.Header.Get("Ce-Specversion") != "" || ct == "application/cloudevents+json"
	if !isCE {
		if ct != "application/json" && ct != "" {
			writeProblem(w, r, http.StatusUnsupportedMediaType, "unsupported-media-type", "Unsupported media type",
				fmt.Sprintf("send application/json, or a CloudEvent (application/cloudevents+json or ce-* headers); got %q", ct), nil)
			return nil, false
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			s.bodyError(w, r, err)
			return nil, false
		}
		return body, true
	}
	ev, err := binding.ToEvent(r.Context(), cehttp.NewMessageFromHttpRequest(r))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.bodyError(w, r, err)
			return nil, false
		}
		writeProblem(w, r, http.StatusBadRequest, "invalid-cloudevent", "Invalid CloudEvent", err.Error(), nil)
		return nil, false
	}
	if err := ev.Validate(); err != nil {
		writeProblem(w, r, http.StatusBadRequest, "invalid-cloudevent", "Invalid CloudEvent", err.Error(), nil)
		return nil, false
	}
	if dct := ev.DataContentType(); dct != "" && !strings.HasPrefix(dct, "application/json") {
		writeProblem(w, r, http.StatusUnsupportedMediaType, "unsupported-media-type", "Unsupported media type",
			fmt.Sprintf("the CloudEvent's datacontenttype must be application/json, got %q", dct), nil)
		return nil, false
	}
	if len(ev.Data()) == 0 {
		writeProblem(w, r, http.StatusBadRequest, "invalid-cloudevent", "Invalid CloudEvent", "the CloudEvent has no data; its data must be the record", nil)
		return nil, false
	}
	return ev.Data(), true
}

func (s *Server) bodyError(w http.ResponseWriter, r *http.Request, err error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		writeProblem(w, r, http.StatusRequestEntityTooLarge, "too-large", "Record too large",
			fmt.Sprintf("the body exceeds %d bytes", mbe.Limit), nil)
		return
	}
	writeProblem(w, r, http.StatusBadRequest, "unreadable-body", "Unreadable body", err.Error(), nil)
}

func (s *Server) postRecord(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	if p.Role == auth.RoleOfficer {
		writeProblem(w, r, http.StatusForbidden, "forbidden", "Forbidden", "officers read records; they do not submit them", nil)
		return
	}
	releaseBody, ok := s.admitBody(w, r, int64(s.cfg.Registry.MaxSize())+ceOverhead)
	if !ok {
		return
	}
	defer releaseBody()
	data, ok := s.readRecord(w, r)
	if !ok {
		return
	}
	release, ok := s.admit(w, r, 1)
	if !ok {
		return
	}
	defer release()
	rec, err := s.cfg.Registry.Validate(data)
	if err != nil {
		pr := submitProblem(err)
		if pr == nil {
			s.internal(w, r, err)
			return
		}
		writeProblem(w, r, pr.Status, pr.slug, pr.Title, pr.Detail, pr.Violations)
		return
	}
	code, view, pr, err := s.submit(r, submitter(p), rec)
	switch {
	case err != nil:
		s.internal(w, r, err)
	case pr != nil:
		writeProblem(w, r, pr.Status, pr.slug, pr.Title, pr.Detail, pr.Violations)
	default:
		w.Header().Set("Location", view.StatusURL)
		writeJSON(w, code, view)
	}
}

func submitter(p auth.Principal) ingest.Submitter {
	return ingest.Submitter{Partner: p.ID, Issuer: p.Issuer, AnyIssuer: p.Role == auth.RoleAdmin}
}

// submit stores a validated record and says what the client is told: a
// status code and view, or a problem for an outcome the client caused
// (forbidden issuer, conflicting version); err is a server failure.
func (s *Server) submit(r *http.Request, who ingest.Submitter, rec *schema.Record) (int, *AcceptedView, *problem, error) {
	res, err := s.cfg.Ingest.SubmitRecord(r.Context(), who, rec)
	return s.submitted(r, res, err)
}

// submitted is submit's answer for one record's outcome.
func (s *Server) submitted(r *http.Request, res ingest.Result, err error) (int, *AcceptedView, *problem, error) {
	if err != nil {
		if pr := submitProblem(err); pr != nil {
			return pr.Status, nil, pr, nil
		}
		return 0, nil, nil, err
	}
	status := StatusAccepted
	code := http.StatusAccepted
	if res.Existing {
		code = http.StatusOK
		if ds, err := s.cfg.Store.Deliveries(r.Context(), res.Version.RecordID, res.Version.Digest); err == nil {
			status = Status(ds)
		}
	}
	s.metrics.accepted.WithLabelValues(res.Version.Type, strconv.FormatBool(!res.Existing)).Inc()
	ledgers := []string{}
	for _, d := range res.Deliveries {
		ledgers = append(ledgers, d.Ledger)
	}
	return code, &AcceptedView{ID: res.Version.RecordID, Digest: res.Version.Digest, Status: status,
		StatusURL: "/v1/records/" + res.Version.RecordID, Existing: res.Existing, Ledgers: ledgers}, nil, nil
}

// record reads the record named by the path, answering 404 or 500 itself
// when it cannot.
func (s *Server) record(w http.ResponseWriter, r *http.Request) (store.RecordDetail, bool) {
	id := r.PathValue("id")
	d, err := s.cfg.Store.Record(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		writeProblem(w, r, http.StatusNotFound, "not-found", "Record not found", "no record with id "+id, nil)
		return d, false
	}
	if err != nil {
		s.internal(w, r, err)
		return d, false
	}
	return d, true
}

func (s *Server) getRecord(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	d, ok := s.record(w, r)
	if !ok {
		return
	}
	full := p.CanReadAll(d.Current.Partner)
	cur := currentDeliveries(d.Deliveries, d.Current.Digest)
	view := RecordView{SummaryView: summary(d.Current, Status(cur), full), Ledgers: ledgerViews(d.Deliveries, d.Current.Digest, full)}
	for _, v := range d.History {
		view.History = append(view.History, VersionView{Digest: v.Digest, Supersedes: v.Supersedes, AcceptedAt: v.AcceptedAt, Partner: v.Partner, Current: v.Seq == d.Current.Seq})
	}
	writeJSON(w, http.StatusOK, view)
}

func (s *Server) listRecords(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	q, problem := parseQuery(r)
	if problem != "" {
		writeProblem(w, r, http.StatusBadRequest, "invalid-query", "Invalid query", problem, nil)
		return
	}
	page, err := s.cfg.Store.List(r.Context(), q)
	if errors.Is(err, store.ErrInvalidQuery) {
		writeProblem(w, r, http.StatusBadRequest, "invalid-query", "Invalid query", err.Error(), nil)
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	out := ListView{Items: []SummaryView{}}
	for _, v := range page.Items {
		ds, err := s.cfg.Store.Deliveries(r.Context(), v.RecordID, v.Digest)
		if err != nil {
			s.internal(w, r, err)
			return
		}
		out.Items = append(out.Items, summary(v, Status(ds), p.CanReadAll(v.Partner)))
	}
	if page.Next != 0 {
		out.Next = strconv.FormatInt(page.Next, 10)
	}
	writeJSON(w, http.StatusOK, out)
}

var recordStates = map[string]string{
	StatusAccepted: store.StatePending, StatusSubmitted: store.StateSubmitted,
	StatusCommitted: store.StateCommitted, StatusConfirmed: store.StateConfirmed, StatusFailed: store.StateFailed,
}

// parseQuery reads the list filters; a non-empty string explains a bad one.
func parseQuery(r *http.Request) (store.Query, string) {
	v := r.URL.Query()
	q := store.Query{Type: v.Get("type"), Issuer: v.Get("issuer"), HSCode: v.Get("hsCode"), Country: v.Get("country"), Partner: v.Get("partner")}
	for name, dst := range map[string]*time.Time{"from": &q.From, "to": &q.To} {
		if s := v.Get(name); s != "" {
			t, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				return q, fmt.Sprintf("%s=%q: want an RFC 3339 date-time with offset", name, s)
			}
			*dst = t
		}
	}
	if s := v.Get("status"); s != "" {
		st, ok := recordStates[s]
		if !ok {
			return q, fmt.Sprintf("status=%q: want accepted, submitted, committed, confirmed or failed", s)
		}
		q.State = st
	}
	if s := v.Get("cursor"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return q, fmt.Sprintf("cursor=%q: use the next value of the previous page", s)
		}
		q.After = n
	}
	limit, problem := parseLimit(v, 0)
	if problem != "" {
		return q, problem
	}
	q.Limit = limit
	if q.HSCode != "" && strings.Trim(q.HSCode, "0123456789") != "" {
		return q, fmt.Sprintf("hsCode=%q: digits only (a prefix such as 7213 matches 721320)", q.HSCode)
	}
	return q, ""
}
