package server

import (
	"context"
	"time"

	"github.com/ledgergate/ledgergate/gateway/store"
)

// exclusive runs fn under the lease name (store.WithLease) when the store
// has leases; a store without them (one instance by construction) just
// runs fn. It reports whether fn ran.
func exclusive(ctx context.Context, s store.Store, name, owner string, ttl time.Duration, fn func(context.Context) error) (bool, error) {
	l, ok := s.(store.Leases)
	if !ok {
		return true, fn(ctx)
	}
	return store.WithLease(ctx, l, name, owner, ttl, fn)
}
