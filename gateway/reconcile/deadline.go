package reconcile

import (
	"context"
	"errors"
	"sync"
	"time"
)

// lazyDeadline is context.WithDeadline(parent, deadline) that creates the
// underlying context — and its timer — only when something waits on it:
// Done, or Value (which context.WithCancel, context.AfterFunc and
// context.Cause consult). A read that returns without waiting, as a
// recorded snapshot or an in-memory ledger does, then costs one small
// allocation instead of a context, a timer and their bookkeeping, for
// each record of a run. Deadline and Err answer as the underlying context
// would.
type lazyDeadline struct {
	parent   context.Context
	deadline time.Time

	mu     sync.Mutex
	armed  context.Context // the underlying context, once created
	cancel context.CancelFunc
	err    error // set by stop before anything armed
}

func withLazyDeadline(parent context.Context, d time.Time) (*lazyDeadline, func()) {
	c := &lazyDeadline{parent: parent, deadline: d}
	return c, c.stop
}

// arm returns the underlying context, creating it if need be. After stop
// it is one already ended with the same error (and the parent's values).
func (c *lazyDeadline) arm() context.Context {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.armed != nil {
		return c.armed
	}
	switch {
	case c.err == nil:
		c.armed, c.cancel = context.WithDeadline(c.parent, c.deadline)
	case errors.Is(c.err, context.DeadlineExceeded):
		c.armed, c.cancel = context.WithDeadline(context.WithoutCancel(c.parent), time.Time{})
	default:
		c.armed, c.cancel = context.WithCancel(context.WithoutCancel(c.parent))
		c.cancel()
	}
	return c.armed
}

// errNow is the error the underlying context would have now, before any
// cancel: the parent's, or DeadlineExceeded after the deadline.
func (c *lazyDeadline) errNow() error {
	if err := c.parent.Err(); err != nil {
		return err
	}
	if !time.Now().Before(c.deadline) {
		return context.DeadlineExceeded
	}
	return nil
}

// stop is the CancelFunc: the first error stays.
func (c *lazyDeadline) stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.armed != nil {
		c.cancel()
		return
	}
	if c.err == nil {
		if c.err = c.errNow(); c.err == nil {
			c.err = context.Canceled
		}
	}
}

func (c *lazyDeadline) Deadline() (time.Time, bool) {
	if d, ok := c.parent.Deadline(); ok && d.Before(c.deadline) {
		return d, true
	}
	return c.deadline, true
}

func (c *lazyDeadline) Done() <-chan struct{} { return c.arm().Done() }

func (c *lazyDeadline) Value(key any) any { return c.arm().Value(key) }

func (c *lazyDeadline) Err() error {
	c.mu.Lock()
	armed, err := c.armed, c.err
	c.mu.Unlock()
	switch {
	case armed != nil:
		return armed.Err()
	case err != nil:
		return err
	}
	return c.errNow()
}

func (c *lazyDeadline) String() string {
	return "reconcile.lazyDeadline(" + c.deadline.String() + ")"
}
