package store

import (
	"context"
	"crypto/rand"
	"time"
)

// InstanceID names one gateway instance's role (relay, reconcile,
// webhooks...) as a lease owner: the role and a random suffix.
func InstanceID(role string) string { return role + "-" + rand.Text()[:10] }

// WithLease runs fn only if owner can take the lease name, renewing it
// every ttl/3 while fn runs; fn's context ends if the lease is lost (or
// cannot be renewed for two thirds of ttl), so gateway instances sharing
// a store never run fn at the same time. It reports whether fn ran. The
// lease is released when fn returns, so another instance may take the
// next turn at once.
func WithLease(ctx context.Context, l Leases, name, owner string, ttl time.Duration, fn func(context.Context) error) (bool, error) {
	ok, err := l.AcquireLease(ctx, name, owner, ttl)
	if err != nil || !ok {
		return false, err
	}
	fctx, cancel := context.WithCancel(ctx)
	stop := KeepLease(fctx, ttl, func(ctx context.Context) (bool, error) {
		return l.AcquireLease(ctx, name, owner, ttl)
	}, cancel)
	err = fn(fctx)
	cancel()
	stop()
	_ = l.ReleaseLease(context.WithoutCancel(ctx), name, owner)
	return true, err
}

// KeepLease renews a lease of length ttl, taken just now, every ttl/3
// until the returned stop is called (or ctx ends): renew reports whether
// the lease is still held. It calls lost, once, and stops renewing when
// renew says the lease is gone, or when renewals have failed for two
// thirds of ttl, before the lease lapses and another holder may start.
func KeepLease(ctx context.Context, ttl time.Duration, renew func(context.Context) (held bool, err error), lost func()) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		last := time.Now()
		t := time.NewTicker(ttl / 3)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			held, err := renew(ctx)
			switch {
			case err == nil && held:
				last = time.Now()
			case ctx.Err() != nil:
				return
			case err == nil || time.Since(last) > ttl*2/3:
				lost() // lost, or about to lapse
				return
			}
		}
	}()
	return func() { cancel(); <-done }
}
