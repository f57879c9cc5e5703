package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"golang.org/x/sync/semaphore"
)

// Admission control. Every record a request carries costs memory from the
// moment it is read until it is stored: its bytes, its decoded tree while
// it is validated, its canonical form and index codes while it waits for
// the store's writer. Under more load than the writer can take, the
// records waiting for it would grow without bound (with 16 clients of
// 200-record batches the process already peaked near 700 MiB;
// docs/operations.md). So the API takes at most MaxRecordsInFlight
// records into validation and storage at once. A request waits up to
// AdmissionWait for room, first come first served, and is otherwise
// answered 503 "overloaded" with Retry-After, having accepted nothing:
// the partner sends it again later, and what it sent earlier is
// unaffected.

// DefaultMaxRecordsInFlight is the default of Config.MaxRecordsInFlight:
// more than the writer takes in a commit (1,024) several times over, so
// that the limit only bites when the writer has fallen behind.
const DefaultMaxRecordsInFlight = 4096

// DefaultAdmissionWait is the default of Config.AdmissionWait.
const DefaultAdmissionWait = 5 * time.Second

// retryAfter is the Retry-After of an overloaded answer, in seconds.
const retryAfter = 1

// admission counts the records being validated and stored.
type admission struct {
	sem   *semaphore.Weighted
	limit int64
	wait  time.Duration
	held  atomic.Int64 // records admitted and not yet released
}

func newAdmission(limit int, wait time.Duration) *admission {
	if limit <= 0 {
		limit = DefaultMaxRecordsInFlight
	}
	if wait <= 0 {
		wait = DefaultAdmissionWait
	}
	return &admission{sem: semaphore.NewWeighted(int64(limit)), limit: int64(limit), wait: wait}
}

// admit waits for room for n records (a request of more than the whole
// limit waits for all of it) for up to the admission wait, and returns
// the function that gives the room back. When there is no room in time
// it answers 503 overloaded (503 timeout when the request's own bound
// came first) and returns false.
func (s *Server) admit(w http.ResponseWriter, r *http.Request, n int) (release func(), ok bool) {
	a := s.admission
	weight := min(int64(max(n, 1)), a.limit)
	ctx, cancel := context.WithTimeout(r.Context(), a.wait)
	defer cancel()
	if err := a.sem.Acquire(ctx, weight); err != nil {
		switch err := r.Context().Err(); {
		case errors.Is(err, context.DeadlineExceeded):
			s.internal(w, r, err) // the request's own bound (requestTimeout): 503 timeout
			return nil, false
		case err != nil:
			return nil, false // the client left
		}
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
		writeProblem(w, r, http.StatusServiceUnavailable, "overloaded", "Gateway overloaded",
			fmt.Sprintf("the gateway is validating and storing as many records as it takes at once (%d, maxRecordsInFlight) and found no room for these %d within %v; none of them was accepted: send them again after %d s", a.limit, n, a.wait, retryAfter), nil)
		return nil, false
	}
	a.held.Add(weight)
	return func() {
		a.held.Add(-weight)
		a.sem.Release(weight)
	}, true
}
