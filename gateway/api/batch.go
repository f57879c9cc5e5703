package api

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"runtime"
	"strings"
	"sync"

	"github.com/cloudevents/sdk-go/v2/event"
	cehttp "github.com/cloudevents/sdk-go/v2/protocol/http"
	"github.com/ledgergate/ledgergate/gateway/auth"
	"github.com/ledgergate/ledgergate/schema"
)

// Batch limits.
const (
	// MaxBatchItems is the most records one batch may hold.
	MaxBatchItems = 1000
	// MaxBatchBytes is the largest batch body.
	MaxBatchBytes = 32 << 20
)

// BatchView answers POST /v1/records:batch: one result per item, in the
// request's order, and the counts.
type BatchView struct {
	Accepted int             `json:"accepted"`
	Existing int             `json:"existing"`
	Rejected int             `json:"rejected"`
	Results  []BatchItemView `json:"results"`
}

// BatchItemView is one item's outcome: Code is the HTTP status the item
// would have had on its own; a stored item carries what POST /v1/records
// answers (AcceptedView's fields), a refused one its Problem.
type BatchItemView struct {
	Index int `json:"index"`
	Code  int `json:"code"`
	*AcceptedView
	Problem *Problem `json:"problem,omitempty"`
}

// postBatch accepts many records in one request: a JSON array of records,
// or a CloudEvents batch (application/cloudevents-batch+json) whose events'
// data are records. Each item is validated and stored on its own, exactly
// as POST /v1/records would; items with the same record id are stored in
// the order they appear (so an item may supersede an earlier one), others
// concurrently. One item's failure does not affect the others.
func (s *Server) postBatch(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	if p.Role == auth.RoleOfficer {
		writeProblem(w, r, http.StatusForbidden, "forbidden", "Forbidden", "officers read records; they do not submit them", nil)
		return
	}
	releaseBody, ok := s.admitBody(w, r, MaxBatchBytes)
	if !ok {
		return
	}
	defer releaseBody()
	items, results, ok := s.readBatch(w, r)
	if !ok {
		return
	}
	n := 0
	for _, it := range items {
		if it != nil {
			n++
		}
	}
	release, ok := s.admit(w, r, n)
	if !ok {
		return
	}
	release = sync.OnceFunc(release)
	defer release()
	fail := func(i int, pr *problem) {
		pr.Instance = fmt.Sprintf("%s#/%d", r.URL.Path, i)
		results[i].Code, results[i].Problem = pr.Status, &pr.Problem
	}
	// Validate (CPU-bound: one worker per core).
	recs := make([]*schema.Record, len(items))
	parallel(len(items), runtime.GOMAXPROCS(0), func(i int) {
		if items[i] == nil {
			return // refused while reading
		}
		rec, err := s.cfg.Registry.Validate(items[i])
		if err != nil {
			pr := submitProblem(err)
			if pr == nil {
				pr = newProblem(http.StatusInternalServerError, "internal", "Internal error", "validation failed unexpectedly", nil)
			}
			fail(i, pr)
			return
		}
		recs[i] = rec
	})
	// Store: all in one call, so the store's writer takes them together
	// and this request waits for it once (items with the same id in
	// their order).
	var stored []*schema.Record
	var at []int // stored[k] is item at[k]
	for i, rec := range recs {
		if rec != nil {
			stored = append(stored, rec)
			at = append(at, i)
		}
	}
	for k, o := range s.cfg.Ingest.SubmitRecords(r.Context(), submitter(p), stored) {
		i := at[k]
		code, view, pr, err := s.submitted(r, o.Result, o.Err)
		switch {
		case err != nil:
			s.cfg.Logger.ErrorContext(r.Context(), "api: storing a batch item failed", slog.Int("index", i), slog.String("record", recs[i].ID), slog.Any("err", err))
			fail(i, newProblem(http.StatusInternalServerError, "internal", "Internal error", "the record could not be stored; it was not accepted, send it again", nil))
		case pr != nil:
			fail(i, pr)
		default:
			results[i] = BatchItemView{Index: i, Code: code, AcceptedView: view}
		}
	}
	release() // the records are stored (or refused); the answer is small
	out := BatchView{Results: results}
	for _, res := range results {
		switch {
		case res.Problem != nil:
			out.Rejected++
		case res.Existing:
			out.Existing++
		default:
			out.Accepted++
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// readBatch splits a batch body into its items' record bytes. An item
// refused already (a CloudEvent without usable data) is nil with its
// problem in results; a body that is not a batch at all is answered here.
func (s *Server) readBatch(w http.ResponseWriter, r *http.Request) ([][]byte, []BatchItemView, bool) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxBatchBytes)
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var items [][]byte
	var results []BatchItemView
	switch ct {
	case "application/json", "":
		body, err := io.ReadAll(r.Body)
		if err != nil {
			s.batchBodyError(w, r, err, "the body could not be read")
			return nil, nil, false
		}
		raw, err := splitArray(body)
		if err != nil {
			s.batchBodyError(w, r, err, "the body must be one JSON array of records")
			return nil, nil, false
		}
		if !s.batchSize(w, r, len(raw)) {
			return nil, nil, false
		}
		items = raw
		results = make([]BatchItemView, len(raw))
		for i := range results {
			results[i].Index = i
		}
	case event.ApplicationCloudEventsBatchJSON:
		evs, err := cehttp.NewEventsFromHTTPRequest(r)
		if err != nil {
			s.batchBodyError(w, r, err, "the body must be a JSON array of CloudEvents in structured mode")
			return nil, nil, false
		}
		if !s.batchSize(w, r, len(evs)) {
			return nil, nil, false
		}
		items = make([][]byte, len(evs))
		results = make([]BatchItemView, len(evs))
		for i, ev := range evs {
			results[i].Index = i
			if detail := eventDataProblem(ev); detail != "" {
				pr := newProblem(http.StatusBadRequest, "invalid-cloudevent", "Invalid CloudEvent", detail, nil)
				pr.Instance = fmt.Sprintf("%s#/%d", r.URL.Path, i)
				results[i].Code, results[i].Problem = pr.Status, &pr.Problem
				continue
			}
			items[i] = ev.Data()
		}
	default:
		writeProblem(w, r, http.StatusUnsupportedMediaType, "unsupported-media-type", "Unsupported media type",
			fmt.Sprintf("send a JSON array of records (application/json) or a CloudEvents batch (%s); got %q", event.ApplicationCloudEventsBatchJSON, ct), nil)
		return nil, nil, false
	}
	return items, results, true
}

// eventDataProblem says why a CloudEvent cannot carry a record, or "".
func eventDataProblem(ev event.Event) string {
	if err := ev.Validate(); err != nil {
		return err.Error()
	}
	if dct := ev.DataContentType(); dct != "" && !strings.HasPrefix(dct, "application/json") {
		return fmt.Sprintf("the CloudEvent's datacontenttype must be application/json, got %q", dct)
	}
	if len(ev.Data()) == 0 {
		return "the CloudEvent has no data; its data must be the record"
	}
	return ""
}

func (s *Server) batchSize(w http.ResponseWriter, r *http.Request, n int) bool {
	switch {
	case n == 0:
		writeProblem(w, r, http.StatusBadRequest, "empty-batch", "Empty batch", "the batch holds no records", nil)
		return false
	case n > MaxBatchItems:
		writeProblem(w, r, http.StatusRequestEntityTooLarge, "too-large", "Batch too large",
			fmt.Sprintf("the batch holds %d records; the limit is %d", n, MaxBatchItems), nil)
		return false
	}
	return true
}

func (s *Server) batchBodyError(w http.ResponseWriter, r *http.Request, err error, want string) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		writeProblem(w, r, http.StatusRequestEntityTooLarge, "too-large", "Batch too large",
			fmt.Sprintf("the body exceeds %d bytes", mbe.Limit), nil)
		return
	}
	writeProblem(w, r, http.StatusBadRequest, "malformed", "Malformed batch", want+": "+err.Error(), nil)
}

// parallel runs fn(0..n-1) on at most workers goroutines.
func parallel(n, workers int, fn func(i int)) {
	workers = max(1, min(workers, n))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				fn(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
