package server

import (
	"context"
	"crypto/rand"
	"time"

	"github.com/ledgergate/ledgergate/gateway/store"
)

// exclusive runs fn only if owner can take the lease name, renewing it
// every ttl/3 while fn runs; fn's context ends if the lease is lost (or
// cannot be renewed for two thirds of ttl), so two gateway instances
// sharing a store never run fn at the same time. It reports whether fn
// ran. The lease is kept after fn returns and lapses after ttl, so the
// next run may go to any instance.
// A store without leases (one instance by construction) just runs fn.
func exclusive(ctx context.Context, s store.Store, name, owner string, ttl time.Duration, fn func(context.Context) error) (bool, error) {
	st, leases := s.(store.Leases)
	if !leases {
		return true, fn(ctx)
	}
	ok, err := st.AcquireLease(ctx, name, owner, ttl)
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
			ok, err := st.AcquireLease(fctx, name, owner, ttl)
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
	return true, err
}

// instanceID names this gateway instance in leases.
func instanceID(role string) string { return role + "-" + rand.Text()[:10] }
