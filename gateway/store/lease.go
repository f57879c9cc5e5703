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
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		last := time.Now()
		t := time.NewTicker(ttl / 3)
		defer t.Stop()
		for {
			select {
			case <-fctx.Done():
				return
			case <-t.C:
			}
			ok, err := l.AcquireLease(fctx, name, owner, ttl)
			switch {
			case err == nil && ok:
				last = time.Now()
			case err == nil || time.Since(last) > ttl*2/3:
				cancel() // lost, or about to lapse: stop before another instance starts
				return
			}
		}
	}()
	err = fn(fctx)
	cancel()
	<-renewed
	_ = l.ReleaseLease(context.WithoutCancel(ctx), name, owner)
	return true, err
}
