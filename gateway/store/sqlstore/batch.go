package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ledgergate/ledgergate/gateway/store"
)

// Group commit. Concurrent Accept calls are queued to one goroutine that
// takes whatever is waiting (up to maxBatch) and stores it in a single
// transaction: under load one commit serves many records, and an idle
// gateway pays no added latency (nothing waits for a batch to fill).

const maxBatch = 256

type acceptReq struct {
	ctx        context.Context
	v          store.Version
	deliveries []store.NewDelivery
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
		for first := range s.queue {
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
			s.acceptBatch(batch)
		}
	}()
}

// Accept implements store.Records.
func (s *Store) Accept(ctx context.Context, v store.Version, deliveries []store.NewDelivery, audit store.AuditEntry) (store.AcceptResult, error) {
	req := &acceptReq{ctx: ctx, v: v, deliveries: deliveries, audit: audit, done: make(chan acceptResp, 1)}
	s.closeMu.Lock()
	closed := s.closed
	if !closed {
		s.pending.Add(1)
	}
	s.closeMu.Unlock()
	if closed {
		return store.AcceptResult{}, errors.New("sqlstore: store is closed")
	}
	defer s.pending.Done()
	select {
	case s.queue <- req:
	case <-ctx.Done():
		return store.AcceptResult{}, ctx.Err()
	}
	r := <-req.done // the batch always answers, even if ctx ends meanwhile
	return r.res, r.err
}

// acceptBatch stores a batch in one transaction. Each request's own
// outcome (accepted, existing, conflict) is decided inside it; a database
// error fails the whole batch, which is then retried one by one so one bad
// request cannot fail the others.
func (s *Store) acceptBatch(batch []*acceptReq) {
	live := batch[:0]
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.done <- acceptResp{err: err}
			continue
		}
		live = append(live, r)
	}
	if len(live) == 0 {
		return
	}
	resps := make([]acceptResp, len(live))
	err := s.inTx(context.Background(), func(tx *sql.Tx) error {
		for i, r := range live {
			res, err := s.acceptOne(r.ctx, tx, r.v, r.deliveries, r.audit)
			if err != nil && !errors.Is(err, store.ErrConflict) {
				return err
			}
			resps[i] = acceptResp{res: res, err: err}
		}
		return nil
	})
	if err != nil && len(live) > 1 {
		for _, r := range live {
			s.acceptBatch([]*acceptReq{r})
		}
		return
	}
	for i, r := range live {
		if err != nil {
			resps[i] = acceptResp{err: err}
		}
		r.done <- resps[i]
	}
}

// acceptOne is Accept's logic inside a transaction. It returns
// ErrConflict (without failing the transaction) for a version that may
// not be stored.
func (s *Store) acceptOne(ctx context.Context, tx *sql.Tx, v store.Version, deliveries []store.NewDelivery, audit store.AuditEntry) (store.AcceptResult, error) {
	head, err := scanVersion(s.txQueryRow(ctx, tx, qHead, v.RecordID))
	hasHead := err == nil
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return store.AcceptResult{}, err
	case head.Digest == v.Digest:
		return store.AcceptResult{Version: head, Existing: true}, nil
	default:
		// An older version with this digest: the same version again.
		old, err := scanVersion(s.txQueryRow(ctx, tx, qVersionByDigest, v.RecordID, string(v.Digest)))
		if err == nil {
			return store.AcceptResult{Version: old, Existing: true}, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return store.AcceptResult{}, err
		}
		if v.Supersedes != head.Digest {
			return store.AcceptResult{}, fmt.Errorf("record %s is stored with digest %s; a new version must supersede it (supersedes is %q): %w", v.RecordID, head.Digest, v.Supersedes, store.ErrConflict)
		}
	}
	if !hasHead && v.Supersedes != "" {
		return store.AcceptResult{}, fmt.Errorf("record %s supersedes %s, but no version of it is stored: %w", v.RecordID, v.Supersedes, store.ErrConflict)
	}
	now := s.now()
	if err := s.txQueryRow(ctx, tx, qInsertVersion,
		v.RecordID, string(v.Digest), v.Type, v.SchemaVersion, v.Issuer, v.Partner, string(v.Supersedes), v.Canonical, v.IssuedAt.UnixNano(), now.UnixNano()).Scan(&v.Seq); err != nil {
		return store.AcceptResult{}, err
	}
	v.AcceptedAt = now.UTC()
	if _, err := s.txExec(ctx, tx, qUpsertHead, v.RecordID, v.Seq); err != nil {
		return store.AcceptResult{}, err
	}
	for kind, codes := range map[string][]string{"hs": v.HSCodes, "country": v.Countries} {
		for _, c := range dedupe(codes) {
			if _, err := s.txExec(ctx, tx, qInsertCode, v.Seq, kind, c); err != nil {
				return store.AcceptResult{}, err
			}
		}
	}
	for _, d := range deliveries {
		policy, err := json.Marshal(d.Policy)
		if err != nil {
			return store.AcceptResult{}, err
		}
		if _, err := s.txExec(ctx, tx, qInsertDelivery, v.RecordID, string(v.Digest), d.Ledger, string(policy), store.StatePending, now.UnixNano(), now.UnixNano()); err != nil {
			return store.AcceptResult{}, err
		}
	}
	if audit.Action != "" {
		audit.RecordID = v.RecordID
		if err := s.appendAudit(ctx, tx, audit); err != nil {
			return store.AcceptResult{}, err
		}
	}
	return store.AcceptResult{Version: v}, nil
}
