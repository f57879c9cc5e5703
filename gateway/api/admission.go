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

// Request bodies are bounded the same way, before they are read: the
// bytes of the bodies being read and processed at once are at most
// MaxBodyBytesInFlight. A request takes room for its Content-Length (the
// largest body it may send when it names none) before its body is read,
// and gives it back when it is answered; without this, many concurrent
// batches of up to MaxBatchBytes each would all be read into memory
// before any of their records asked for room.

// DefaultMaxRecordsInFlight is the default of Config.MaxRecordsInFlight:
// more than the writer takes in a commit (1,024) several times over, so
// that the limit only bites when the writer has fallen behind.
const DefaultMaxRecordsInFlight = 4096

// DefaultMaxBodyBytesInFlight is the default of
// Config.MaxBodyBytesInFlight: eight of the largest batch bodies.
const DefaultMaxBodyBytesInFlight = 8 * MaxBatchBytes

// DefaultAdmissionWait is the default of Config.AdmissionWait.
const DefaultAdmissionWait = 5 * time.Second

// retryAfter is the Retry-After of an overloaded answer, in seconds.
const retryAfter = 1

// admission holds the room for records and for request bodies.
type admission struct {
	records, bodies room
	wait            time.Duration
}

// room is a limited amount of something (records, bytes) taken and given
// back by requests.
type room struct {
	sem   *semaphore.Weighted
	limit int64
	held  atomic.Int64 // taken and not yet given back
}

func newRoom(limit int64) room { return room{sem: semaphore.NewWeighted(limit), limit: limit} }

func newAdmission(records int, bodyBytes int64, wait time.Duration) *admission {
	if records <= 0 {
		records = DefaultMaxRecordsInFlight
	}
	if bodyBytes <= 0 {
		bodyBytes = DefaultMaxBodyBytesInFlight
	}
	if wait <= 0 {
		wait = DefaultAdmissionWait
	}
	return &admission{records: newRoom(int64(records)), bodies: newRoom(bodyBytes), wait: wait}
}

// admit waits for room for n records (a request of more than the whole
// limit waits for all of it) for up to the admission wait, and returns
// the function that gives the room back. When there is no room in time
// it answers 503 overloaded (503 timeout when the request's own bound
// came first) and returns false.
func (s *Server) admit(w http.ResponseWriter, r *http.Request, n int) (release func(), ok bool) {
	a := s.admission
	return s.take(w, r, &a.records, int64(n), func(weight int64) string {
		return fmt.Sprintf("the gateway is validating and storing as many records as it takes at once (%d, maxRecordsInFlight) and found no room for these %d within %v; none of them was accepted: send them again after %d s", a.records.limit, n, a.wait, retryAfter)
	})
}

// admitBody waits for room for the body of r, which may be up to limit
// bytes, before it is read: its Content-Length, or limit when it names
// none. As admit, it answers 503 overloaded when there is no room in time.
func (s *Server) admitBody(w http.ResponseWriter, r *http.Request, limit int64) (release func(), ok bool) {
	a := s.admission
	n := limit
	if r.ContentLength >= 0 && r.ContentLength < limit {
		n = r.ContentLength
	}
	return s.take(w, r, &a.bodies, n, func(weight int64) string {
		return fmt.Sprintf("the gateway is reading as many request bytes as it takes at once (%d, maxBodyBytesInFlight) and found no room for this body of up to %d bytes within %v; nothing was accepted: send it again after %d s", a.bodies.limit, n, a.wait, retryAfter)
	})
}

// take waits up to the admission wait for n of room (at least 1, at most
// all of it), answering 503 when there is none in time.
func (s *Server) take(w http.ResponseWriter, r *http.Request, rm *room, n int64, detail func(weight int64) string) (release func(), ok bool) {
	weight := min(max(n, 1), rm.limit)
	ctx, cancel := context.WithTimeout(r.Context(), s.admission.wait)
	defer cancel()
	if err := rm.sem.Acquire(ctx, weight); err != nil {
		switch err := r.Context().Err(); {
		case errors.Is(err, context.DeadlineExceeded):
			s.internal(w, r, err) // the request's own bound (requestTimeout): 503 timeout
			return nil, false
		case err != nil:
			return nil, false // the client left
		}
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
		writeProblem(w, r, http.StatusServiceUnavailable, "overloaded", "Gateway overloaded", detail(weight), nil)
		return nil, false
	}
	rm.held.Add(weight)
	return func() {
		rm.held.Add(-weight)
		rm.sem.Release(weight)
	}, true
}
