// Package relay delivers accepted record versions from the outbox to
// their ledgers: a pool of workers claims due deliveries, writes them
// through the ledger adapters, retries with exponential backoff and
// jitter, and records each outcome. With an adapter that implements
// adapters.Submitter a worker hands the write over (Submit) and the
// delivery is followed later (Track), instead of holding the worker until
// the ledger has made its block.
//
// Exactly one effect per ledger across crashes rests on two facts: a
// delivery is leased to one worker at a time (renewed while the relay
// holds it; an expired lease passes to another), and adapters write idempotently per (record id, digest), so a
// write repeated after a crash finds the first one and makes no second.
package relay

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/internal/ctxtime"
	"github.com/ledgergate/ledgergate/schema"
)

// Store is what the relay needs from the store.
type Store interface {
	store.Outbox
}

// Change reports a delivery's new state (for events and metrics).
type Change struct {
	Delivery store.Delivery
	Previous string // the state before
}

// Relay moves deliveries to ledgers.
type Relay struct {
	store   Store
	reg     *schema.Registry
	ledgers map[string]adapters.Adapter
	owner   string

	workers      int
	lease        time.Duration
	poll         time.Duration
	confirmPoll  time.Duration
	writeTimeout time.Duration
	backoffBase  time.Duration
	backoffMax   time.Duration
	maxAttempts  int
	log          *slog.Logger
	onChange     func(Change)
	now          func() time.Time
}

// Option configures a Relay.
type Option func(*Relay)

// WithWorkers sets the number of concurrent deliveries (default 64).
//
// A worker spends most of a delivery waiting: for the ledger, and twice
// for the store (the "submitted" state before the write, the outcome
// after it). On SQLite those writes join the single writer's next commit,
// which behind full-rate ingest is a batch of hundreds of records away, so
// deliveries per second grow with the workers waiting at once
// (docs/performance.md: 8 workers delivered about 100 a second beside
// batched ingest, 64 about 570, and alone 2,000 and 3,500).
func WithWorkers(n int) Option { return func(r *Relay) { r.workers = n } }

// WithLease sets how long a claimed delivery stays reserved without a
// renewal (default 1 min). The relay renews the lease every third of it
// while it holds the delivery, so the lease bounds how long the deliveries
// of a relay that died wait before another takes them over.
func WithLease(d time.Duration) Option { return func(r *Relay) { r.lease = d } }

// WithPoll sets how often an idle relay looks for work (default 200 ms).
func WithPoll(d time.Duration) Option { return func(r *Relay) { r.poll = d } }

// WithConfirmPoll sets how often submitted writes (adapters.Submitter) are
// followed and committed ones re-checked for confirmations (default 2 s).
func WithConfirmPoll(d time.Duration) Option { return func(r *Relay) { r.confirmPoll = d } }

// WithBackoff sets the retry delay: base doubled per attempt, capped at
// max, with jitter (defaults 500 ms and 5 min).
func WithBackoff(base, max time.Duration) Option {
	return func(r *Relay) { r.backoffBase, r.backoffMax = base, max }
}

// WithMaxAttempts sets after how many failed attempts a delivery is given
// up as failed (default 50).
func WithMaxAttempts(n int) Option { return func(r *Relay) { r.maxAttempts = n } }

// WithWriteTimeout bounds one ledger write (default 2 min).
func WithWriteTimeout(d time.Duration) Option { return func(r *Relay) { r.writeTimeout = d } }

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(r *Relay) { r.log = l } }

// WithOwner names this relay instance in leases (default random).
func WithOwner(name string) Option { return func(r *Relay) { r.owner = name } }

// OnChange calls fn after every delivery state change is stored.
func OnChange(fn func(Change)) Option { return func(r *Relay) { r.onChange = fn } }

// New returns a relay writing through the named ledger adapters.
func New(s Store, reg *schema.Registry, ledgers map[string]adapters.Adapter, opts ...Option) *Relay {
	r := &Relay{
		store: s, reg: reg, ledgers: ledgers,
		owner:   store.InstanceID("relay"),
		workers: 64, lease: time.Minute, poll: 200 * time.Millisecond, confirmPoll: 2 * time.Second,
		writeTimeout: 2 * time.Minute, backoffBase: 500 * time.Millisecond, backoffMax: 5 * time.Minute,
		maxAttempts: 50, log: slog.Default(), onChange: func(Change) {}, now: time.Now,
	}
	for _, o := range opts {
		o(r)
	}
	if r.workers < 1 {
		r.workers = 1
	}
	if r.lease <= 0 {
		r.lease = time.Minute
	}
	return r
}

// Run delivers until ctx is cancelled; it then waits for the deliveries
// in flight and returns nil.
//
// The relay holds at most twice as many deliveries as it has workers:
// one per worker and as many queued, claimed while the workers are busy so
// that none waits for a claim. A held delivery's lease is renewed from its
// claim until its outcome is stored, so a lease does not run out while a
// delivery waits in the queue or a ledger write outlasts it. Each claim
// leases under its own owner name (the relay's name and the claim's
// number): a worker whose lease was taken over, even by this relay, can
// store nothing more on that delivery.
func (r *Relay) Run(ctx context.Context) error {
	work := make(chan claimed, r.workers)
	room := make(chan struct{}, 2*r.workers) // one token per delivery the relay may take on
	for range cap(room) {
		room <- struct{}{}
	}
	var wg sync.WaitGroup
	for range r.workers {
		wg.Go(func() {
			for c := range work {
				r.process(c)
				room <- struct{}{}
			}
		})
	}
	defer func() {
		close(work)
		wg.Wait()
	}()
	for claims := 1; ; claims++ {
		n := takeRoom(ctx, room)
		if n == 0 {
			return nil // cancelled
		}
		owner := fmt.Sprintf("%s/%d", r.owner, claims)
		ds, err := r.store.Claim(ctx, owner, n, r.lease)
		if err != nil && ctx.Err() == nil {
			r.log.Error("relay: claim", "err", err)
		}
		for range n - len(ds) {
			room <- struct{}{}
		}
		for _, d := range ds {
			// Deliveries in flight are finished even once ctx is cancelled.
			actx, cancel := context.WithCancel(context.WithoutCancel(ctx))
			c := claimed{ctx: actx, cancel: cancel, owner: owner, d: d}
			c.stopRenewing = r.keepLease(actx, owner, d, cancel)
			work <- c // there is room for each
		}
		if len(ds) == 0 {
			ctxtime.Sleep(ctx, r.poll)
		}
	}
}

// claimed is a delivery held by the relay: the owner name its lease is
// held under, and the context of its attempt, cancelled if the lease is
// lost.
type claimed struct {
	ctx          context.Context
	cancel       context.CancelFunc
	stopRenewing func()
	owner        string
	d            store.Delivery
}

// takeRoom waits for room for one delivery and takes all there is now; it
// returns how many deliveries it took room for (0 once ctx is cancelled).
func takeRoom(ctx context.Context, room chan struct{}) int {
	select {
	case <-room:
	case <-ctx.Done():
		return 0
	}
	n := 1
	for {
		select {
		case <-room:
			n++
		default:
			return n
		}
	}
}

// backoff returns the delay before attempt n+1: base·2^(n-1), capped,
// with "equal jitter" (between half and all of it).
func (r *Relay) backoff(attempts int) time.Duration {
	d := r.backoffBase
	for i := 1; i < attempts && d < r.backoffMax; i++ {
		d *= 2
	}
	if d > r.backoffMax {
		d = r.backoffMax
	}
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(half)+1))
}

// process makes one attempt at one held delivery and stores the outcome;
// if the lease was lost meanwhile, the attempt is cancelled and its
// outcome is not stored.
func (r *Relay) process(c claimed) {
	defer c.cancel()
	d := c.d
	next, prev, err := r.attempt(c.ctx, c.owner, d)
	c.stopRenewing()
	if err != nil {
		r.log.Error("relay: attempt", "record", d.RecordID, "ledger", d.Ledger, "err", err)
		return
	}
	var audit []store.AuditEntry
	if next.State != prev {
		audit = append(audit, store.AuditEntry{Actor: r.owner, Action: "delivery." + next.State, RecordID: d.RecordID,
			Detail: strings.TrimSpace(fmt.Sprintf("%s %s %s", d.Ledger, d.Digest, next.Error))})
	}
	if err := r.store.Update(c.ctx, c.owner, next, audit...); err != nil {
		if errors.Is(err, store.ErrLeaseLost) || c.ctx.Err() != nil {
			r.log.Warn("relay: lease lost; another worker has the delivery", "record", d.RecordID, "ledger", d.Ledger)
		} else {
			r.log.Error("relay: store outcome", "record", d.RecordID, "ledger", d.Ledger, "err", err)
		}
		return
	}
	if next.State != prev {
		r.onChange(Change{Delivery: next, Previous: prev})
	}
}

// keepLease renews owner's lease on d every third of the lease
// (store.KeepLease) until the returned stop is called; lost is called if
// the lease was lost, or could not be renewed for two thirds of it.
func (r *Relay) keepLease(ctx context.Context, owner string, d store.Delivery, lost func()) (stop func()) {
	return store.KeepLease(ctx, r.lease, func(ctx context.Context) (bool, error) {
		err := r.store.Renew(ctx, owner, d, r.lease)
		switch {
		case errors.Is(err, store.ErrLeaseLost):
			return false, nil
		case err != nil && ctx.Err() == nil:
			r.log.Error("relay: renew lease", "record", d.RecordID, "ledger", d.Ledger, "err", err)
		}
		return err == nil, err
	}, func() {
		r.log.Warn("relay: lease lost or about to lapse during an attempt; stopping it", "record", d.RecordID, "ledger", d.Ledger)
		lost()
	})
}

// attempt computes the delivery's next state, and the state it had just
// before that outcome (the "submitted" it was given while the write was in
// flight, or the state it was claimed in). A non-nil error means the
// outcome could not be stored safely (the lease was lost); the delivery is
// left for its next claim.
func (r *Relay) attempt(ctx context.Context, owner string, d store.Delivery) (store.Delivery, string, error) {
	prev := d.State
	next, err := r.attemptFrom(ctx, owner, d, &prev)
	return next, prev, err
}

func (r *Relay) attemptFrom(ctx context.Context, owner string, d store.Delivery, prev *string) (store.Delivery, error) {
	a, ok := r.ledgers[d.Ledger]
	if !ok {
		return r.fail(d, fmt.Sprintf("ledger %q is not configured", d.Ledger)), nil
	}
	wctx, cancel := context.WithTimeout(ctx, r.writeTimeout)
	defer cancel()

	// A write in flight, one whose outcome is unknown, or a committed one
	// awaiting confirmations: ask the ledger first.
	if d.State == store.StateSubmitted || d.State == store.StateCommitted {
		rc, err := follow(wctx, a, d)
		switch {
		case err == nil:
			return r.landed(d, rc), nil
		case !errors.Is(err, adapters.ErrNotFound):
			return r.retry(d, err), nil
		}
		// Not on the ledger and not coming (never landed, dropped, or
		// reorganised away): write.
	}
	v, err := r.store.DeliveryVersion(ctx, d)
	if err != nil {
		return r.retry(d, fmt.Errorf("load version: %w", err)), nil
	}
	rec, err := r.reg.Validate(v.Canonical)
	if err != nil {
		return r.fail(d, "stored record no longer validates: "+err.Error()), nil
	}
	// Record that the write is in flight before making it: after a crash
	// the outcome is then known to be uncertain.
	before := d.State
	d.State, d.Attempts, d.Receipt = store.StateSubmitted, d.Attempts+1, nil
	var audit []store.AuditEntry
	if before != store.StateSubmitted {
		audit = append(audit, store.AuditEntry{Actor: r.owner, Action: "delivery." + store.StateSubmitted, RecordID: d.RecordID,
			Detail: fmt.Sprintf("%s %s", d.Ledger, d.Digest)})
	}
	if err := r.store.Progress(ctx, owner, d, audit...); err != nil {
		return d, err
	}
	if before != store.StateSubmitted {
		r.onChange(Change{Delivery: d, Previous: before})
	}
	*prev = store.StateSubmitted
	var rc adapters.Receipt
	s, submits := a.(adapters.Submitter)
	if submits {
		// Hand the write over and follow it later (above): the worker is
		// not held while the ledger makes a block.
		rc, err = s.Submit(wctx, rec, d.Policy)
	} else {
		rc, err = a.Write(wctx, rec, d.Policy)
	}
	var rej *adapters.RejectedError
	var inflight *adapters.InFlightError
	switch {
	case err == nil:
		return r.landed(d, rc), nil
	case errors.As(err, &rej):
		return r.fail(d, rej.Error()), nil
	case errors.Is(err, adapters.ErrUnavailable):
		d.State = store.StatePending // certainly not applied
		return r.retry(d, err), nil
	case submits && errors.As(err, &inflight) && inflight.Receipt.Status == adapters.StatusSubmitted && inflight.Receipt.TxID != "":
		// Sent, the answer lost: keep the write's receipt, so that the
		// next attempt follows it (Track) rather than writing again
		// while it may be pending.
		d.Receipt = &inflight.Receipt
		return r.retry(d, err), nil
	default:
		return r.retry(d, err), nil // outcome unknown: stays submitted
	}
}

// follow asks the ledger where a delivery's write stands: through the
// submitted write's receipt when the adapter can follow one (Track), else
// by record id and digest (Receipt).
func follow(ctx context.Context, a adapters.Adapter, d store.Delivery) (adapters.Receipt, error) {
	if s, ok := a.(adapters.Submitter); ok && d.Receipt != nil && d.Receipt.Status == adapters.StatusSubmitted {
		return s.Track(ctx, *d.Receipt)
	}
	return a.Receipt(ctx, d.RecordID, d.Digest)
}

// landed stores where a write stands: still pending (a submission: look
// again after the confirmation poll), committed (look again for
// confirmations) or confirmed.
func (r *Relay) landed(d store.Delivery, rc adapters.Receipt) store.Delivery {
	d.Receipt, d.Error = &rc, ""
	switch rc.Status {
	case adapters.StatusConfirmed:
		d.State = store.StateConfirmed
	case adapters.StatusSubmitted:
		d.State = store.StateSubmitted
		d.NextAttempt = r.now().Add(r.confirmPoll)
	default:
		d.State = store.StateCommitted
		d.NextAttempt = r.now().Add(r.confirmPoll)
	}
	return d
}

func (r *Relay) retry(d store.Delivery, err error) store.Delivery {
	d.Error = err.Error()
	if d.Attempts >= r.maxAttempts {
		return r.fail(d, fmt.Sprintf("gave up after %d attempts: %v", d.Attempts, err))
	}
	d.NextAttempt = r.now().Add(r.backoff(d.Attempts))
	return d
}

func (r *Relay) fail(d store.Delivery, reason string) store.Delivery {
	d.State, d.Error = store.StateFailed, reason
	return d
}
