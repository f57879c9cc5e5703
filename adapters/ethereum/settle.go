package ethereum

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
)

// Writes after a restart.
//
// A gateway that stops (a crash, a kill) after sending a write's
// transaction but before recording its receipt comes back with a delivery
// that names no transaction. The relay submits it again, and the registry
// check before the send finds nothing while the first transaction is still
// pending, so without more a second transaction would be sent: still one
// effect (the registry refuses the second), but a fee paid for a
// transaction that reverts.
//
// So before its first write in this process an account waits until the
// transactions it had pending at that moment are mined (its latest nonce
// reaches the pending nonce it saw): the registry check after that sees
// what they wrote, and a version already written comes back as its
// receipt instead of a second transaction. The wait is bounded by Write's
// resend delay (24 receipt polls); transactions still pending then are
// stuck (underpriced, behind a gap) and the write goes ahead as before.
// An account with nothing pending, the usual case, costs two calls to the
// node once.

// settleState is an account's progress through that wait.
type settleState struct {
	mu      sync.Mutex
	done    bool
	waiting chan struct{} // closed when the caller that is checking finishes
}

// settle returns once the account's transactions pending at its first
// write have been mined or waited for as long as a resend delay. Callers
// that arrive while one checks wait for it. A node error is returned (and
// the next write checks again).
func (a *Adapter) settle(ctx context.Context) error {
	s := &a.acct.settle
	for {
		s.mu.Lock()
		if s.done {
			s.mu.Unlock()
			return nil
		}
		if w := s.waiting; w != nil {
			s.mu.Unlock()
			select {
			case <-w:
				continue
			case <-ctx.Done():
				return unavailable(fmt.Errorf("waiting for the account's pending transactions: %w", ctx.Err()))
			case <-a.done:
				return adapters.ErrClosed
			}
		}
		w := make(chan struct{})
		s.waiting = w
		s.mu.Unlock()
		err := a.awaitPending(ctx)
		s.mu.Lock()
		s.waiting, s.done = nil, err == nil
		s.mu.Unlock()
		close(w)
		return err
	}
}

// awaitPending waits until the account's latest nonce reaches the pending
// nonce the node reports now, or for the resend delay.
func (a *Adapter) awaitPending(ctx context.Context) error {
	pending, err := a.b.PendingNonceAt(ctx, a.from)
	if err != nil {
		return unavailable(fmt.Errorf("pending nonce of %s: %w", a.from, err))
	}
	giveUp := time.Now().Add(a.cfg.poll * nonceCheckEvery * stuckPolls)
	t := time.NewTicker(a.cfg.poll)
	defer t.Stop()
	for {
		latest, err := a.b.NonceAt(ctx, a.from, nil)
		if err != nil {
			return unavailable(fmt.Errorf("nonce of %s: %w", a.from, err))
		}
		if latest >= pending || time.Now().After(giveUp) {
			return nil
		}
		select {
		case <-ctx.Done():
			return unavailable(fmt.Errorf("waiting for %d pending transactions of %s: %w", pending-latest, a.from, ctx.Err()))
		case <-a.done:
			return adapters.ErrClosed
		case <-t.C:
		}
	}
}
