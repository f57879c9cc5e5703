package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/ledgergate/ledgergate/gateway/store"
)

// Group commit. Concurrent Accept calls are queued to one goroutine that
// takes whatever is waiting (up to maxBatch) and stores it in a single
// transaction: under load one commit serves many records, and an idle
// gateway pays no added latency (nothing waits for a batch to fill). With
// Dialect.GroupWrites the store's other small writes (group) queue there
// too; those taken together commit in one transaction of their own, ahead
// of the accepts taken with them.

// maxBatch bounds the requests of one transaction. Under heavy load
// larger commits share their fixed costs (the sync, FTS5's segment and
// structure update, the page-cache scan at the end of a transaction)
// among more records: with 16 batch clients of 200 records, commits of
// up to 1,024 (about 640 on average) took 7-11% more records a second
// than commits of up to 256, at less CPU per record, in three alternating
// rounds (docs/performance.md, "Session 11"). Light load never fills a
// batch, so it adds no latency there.
const maxBatch = 1024

type acceptReq struct {
	ctx context.Context
	// write, when set, makes this a grouped write (group) instead of an
	// accept.
	write      func(context.Context, *sql.Tx) error
	v          store.Version
	deliveries []store.NewDelivery
	policies   []string // deliveries[i].Policy as JSON, encoded by the caller, not the writer
	body       []byte   // v.Canonical as stored (encodeBody), also encoded by the caller
	terms      string   // the index terms of v (Dialect.Terms or DeferredCodes), built by the caller
	audit      store.AuditEntry
	done       chan acceptResp
}

type acceptResp struct {
	res store.AcceptResult
	err error
}

func (s *Store) startBatcher() {
	s.queue = make(chan *acceptReq, 4*maxBatch)
	s.batcherDone = make(chan struct{})
	go func() {
		defer close(s.batcherDone)
		m := meter{w: &s.writer}
		defer m.close()
		for first := range s.queue {
			if s.d.BeforeBatch != nil {
				s.d.BeforeBatch()
			}
			batch := []*acceptReq{first}
		fill:
			for len(batch) < maxBatch {
				select {
				case r, ok := <-s.queue:
					if !ok {
						break fill
					}
					batch = append(batch, r)
				default:
					break fill
				}
			}
			// Grouped writes (the relay's) commit ahead of the accepts
			// collected with them, in a transaction of their own: behind
			// a full accepting batch each waited its whole commit, and a
			// delivery takes two of them in turn.
			var writes, accepts []*acceptReq
			for _, r := range batch {
				if r.write != nil {
					writes = append(writes, r)
				} else {
					accepts = append(accepts, r)
				}
			}
			// Each transaction is counted before it is answered, so a
			// caller whose request returned finds it in WriterUsage.
			for _, reqs := range [][]*acceptReq{writes, accepts} {
				if len(reqs) == 0 {
					continue
				}
				mk := m.start()
				answers := s.acceptBatch(reqs, nil)
				m.stop(mk, len(reqs))
				for _, a := range answers {
					a.to <- a.resp
				}
			}
		}
	}()
}

// Accept implements store.Records.
func (s *Store) Accept(ctx context.Context, v store.Version, deliveries []store.NewDelivery, audit store.AuditEntry) (store.AcceptResult, error) {
	req, err := s.acceptRequest(ctx, store.AcceptRequest{Version: v, Deliveries: deliveries, Audit: audit})
	if err != nil {
		return store.AcceptResult{}, err
	}
	r := s.enqueue(ctx, req)[0]
	return r.res, r.err
}

var _ store.BatchAccepter = (*Store)(nil)

// AcceptBatch implements store.BatchAccepter: the requests are queued to
// the writer in their order, which keeps the order of those for one
// record id (the writer takes a repeated id in a later wave or batch),
// and their outcomes are collected by this one goroutine.
func (s *Store) AcceptBatch(ctx context.Context, reqs []store.AcceptRequest) []store.AcceptOutcome {
	out := make([]store.AcceptOutcome, len(reqs))
	queued := make([]*acceptReq, 0, len(reqs))
	at := make([]int, 0, len(reqs)) // queued[k] is reqs[at[k]]'s
	for i, q := range reqs {
		req, err := s.acceptRequest(ctx, q)
		if err != nil {
			out[i].Err = err
			continue
		}
		queued, at = append(queued, req), append(at, i)
	}
	for k, r := range s.enqueue(ctx, queued...) {
		out[at[k]] = store.AcceptOutcome{Result: r.res, Err: r.err}
	}
	return out
}

// acceptRequest prepares q for the writer: the caller, not the writer,
// encodes its policies, body and index terms.
func (s *Store) acceptRequest(ctx context.Context, q store.AcceptRequest) (*acceptReq, error) {
	policies := make([]string, len(q.Deliveries))
	for i, d := range q.Deliveries {
		b, err := json.Marshal(d.Policy)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: delivery policy for %s: %w", d.Ledger, err)
		}
		policies[i] = string(b)
	}
	req := &acceptReq{ctx: ctx, v: q.Version, deliveries: q.Deliveries, policies: policies, body: encodeBody(q.Version.Canonical), audit: q.Audit, done: make(chan acceptResp, 1)}
	switch {
	case s.d.Terms:
		req.terms = terms(q.Version.HSCodes, q.Version.Countries)
	case s.d.DeferredCodes:
		req.terms = codeTerms(q.Version.HSCodes, q.Version.Countries)
	}
	return req, nil
}

// enqueue hands reqs to the writer goroutine in their order and waits
// for their outcomes, resps[i] being reqs[i]'s. A request not handed
// over has the reason as its outcome: the store is closed, or ctx ended
// first (then none after it is handed over either).
func (s *Store) enqueue(ctx context.Context, reqs ...*acceptReq) []acceptResp {
	resps := make([]acceptResp, len(reqs))
	s.closeMu.Lock()
	closed := s.closed
	if !closed {
		s.pending.Add(1) // Close waits for these outcomes
	}
	s.closeMu.Unlock()
	if closed {
		err := errors.New("sqlstore: store is closed")
		for i := range resps {
			resps[i].err = err
		}
		return resps
	}
	defer s.pending.Done()
	sent := 0
send:
	for ; sent < len(reqs); sent++ {
		select {
		case s.queue <- reqs[sent]:
		case <-ctx.Done():
			break send
		}
	}
	for i, req := range reqs {
		if i < sent {
			resps[i] = <-req.done // the batch always answers, even if ctx ends meanwhile
		} else {
			resps[i].err = ctx.Err()
		}
	}
	return resps
}

// group runs fn in a transaction. With Dialect.GroupWrites it is queued
// to the writer goroutine with the accepts and shares a transaction, and
// its commit, with the other grouped writes waiting: on SQLite every commit
// syncs the WAL, so the relay's small writes (a claim, the state before
// and after each ledger write, their audit entries), each committed on its
// own, held a relay to one sync per write, about 650 deliveries a second,
// and while accepts kept the single connection busy they waited a whole
// batch each. fn may run more than once (when its batch fails it is
// retried alone); an error wrapping store.ErrLeaseLost is its own outcome,
// any other fails the batch.
func (s *Store) group(ctx context.Context, fn func(context.Context, *sql.Tx) error) error {
	if !s.d.GroupWrites {
		return s.inTx(ctx, func(tx *sql.Tx) error { return fn(ctx, tx) })
	}
	return s.enqueue(ctx, &acceptReq{ctx: ctx, write: fn, done: make(chan acceptResp, 1)})[0].err
}

// answer is a request's outcome, to be sent once the writer has counted
// its batch.
type answer struct {
	to   chan<- acceptResp
	resp acceptResp
}

// acceptBatch stores a batch in one transaction and appends each
// request's outcome to answers. Each request's own
// outcome (accepted, existing, conflict) is decided inside it; a database
// error fails the whole batch, which is then retried one by one so one bad
// request cannot fail the others.
func (s *Store) acceptBatch(batch []*acceptReq, answers []answer) []answer {
	live := batch[:0]
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			answers = append(answers, answer{r.done, acceptResp{err: err}})
			continue
		}
		live = append(live, r)
	}
	if len(live) == 0 {
		return answers
	}
	resps := make([]acceptResp, len(live))
	var err error
	if !s.acceptAlone(live, resps) {
		err = s.inTx(context.Background(), func(tx *sql.Tx) error { return s.acceptInTx(tx, live, resps) })
	}
	if err != nil && len(live) > 1 {
		for _, r := range live {
			answers = s.acceptBatch([]*acceptReq{r}, answers)
		}
		return answers
	}
	if err == nil && slices.ContainsFunc(live, func(r *acceptReq) bool { return r.write == nil }) {
		for _, r := range resps {
			if seq := r.res.Version.Seq; seq > s.lastSeq.Load() {
				s.lastSeq.Store(seq) // only the writer goroutine stores it
			}
		}
		s.codesDue() // versions were accepted
	}
	for i, r := range live {
		if err != nil {
			resps[i] = acceptResp{err: err}
		}
		answers = append(answers, answer{r.done, resps[i]})
	}
	return answers
}

// acceptInTx stores the batch live in tx, writing each request's outcome
// to resps: set-based, one statement per table for the whole batch. A
// record id that appears twice waits for the next wave, so each wave
// sees the effect of the previous one.
func (s *Store) acceptInTx(tx *sql.Tx, live []*acceptReq, resps []acceptResp) error {
	ctx := context.Background()
	var ids idAlloc
	switch {
	case s.d.LockedIDs != "":
		if err := tx.QueryRowContext(ctx, s.d.LockedIDs).Scan(&ids.rid, &ids.seq); err != nil {
			return fmt.Errorf("sqlstore: writer lock: %w", err)
		}
		ids.loaded = true
	case s.d.WriterLock != "":
		if _, err := tx.ExecContext(ctx, s.d.WriterLock); err != nil {
			return fmt.Errorf("sqlstore: writer lock: %w", err)
		}
	}
	var todo, writes []int
	for i, r := range live {
		if r.write != nil {
			writes = append(writes, i)
		} else {
			todo = append(todo, i)
		}
	}
	for len(todo) > 0 {
		var wave, later []int
		seen := map[string]bool{}
		for _, i := range todo {
			if id := live[i].v.RecordID; seen[id] {
				later = append(later, i)
			} else {
				seen[id] = true
				wave = append(wave, i)
			}
		}
		if err := s.acceptWave(tx, &ids, live, wave, resps); err != nil {
			return err
		}
		todo = later
	}
	for _, i := range writes {
		err := live[i].write(context.WithoutCancel(live[i].ctx), tx)
		if err != nil && !errors.Is(err, store.ErrLeaseLost) {
			return err
		}
		resps[i] = acceptResp{err: err}
	}
	return nil
}
