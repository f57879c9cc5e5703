package server

import (
	"context"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/gateway/store/sqlite"
)

// TestExclusive: instances sharing a store never run the same leased job
// at once; a second instance runs it once the first's lease lapses; a job
// whose lease is taken over (its instance stalled) has its context ended.
func TestExclusive(t *testing.T) {
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "lease.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	const ttl = 300 * time.Millisecond

	// Many attempts from two instances at once: the job never overlaps.
	var running, maxRunning, ran atomic.Int32
	var wg sync.WaitGroup
	for _, owner := range []string{"a", "b"} {
		wg.Go(func() {
			for range 20 {
				ok, err := exclusive(ctx, st, "job", owner, ttl, func(context.Context) error {
					n := running.Add(1)
					for m := maxRunning.Load(); n > m && !maxRunning.CompareAndSwap(m, n); m = maxRunning.Load() {
					}
					time.Sleep(5 * time.Millisecond)
					running.Add(-1)
					return nil
				})
				if err != nil {
					t.Error(err)
				}
				if ok {
					ran.Add(1)
				}
				time.Sleep(time.Millisecond)
			}
		})
	}
	wg.Wait()
	if maxRunning.Load() != 1 || ran.Load() == 0 {
		t.Fatalf("job ran %d times, at most %d at once; want at most one at once", ran.Load(), maxRunning.Load())
	}

	// While a's job runs, b's attempt is refused; once it returns, b's
	// succeeds at once (the lease is released).
	bTried := make(chan bool, 1)
	if ok, _ := exclusive(ctx, st, "job2", "a", ttl, func(context.Context) error {
		ok, _ := exclusive(ctx, st, "job2", "b", ttl, func(context.Context) error { return nil })
		bTried <- ok
		return nil
	}); !ok {
		t.Fatal("a could not take a free lease")
	}
	if <-bTried {
		t.Fatal("b ran the job while a's was running")
	}
	if ok, _ := exclusive(ctx, st, "job2", "b", ttl, func(context.Context) error { return nil }); !ok {
		t.Fatal("b could not run the job after a's returned")
	}
	// An instance that stopped without releasing (it died) holds the job
	// off until its lease lapses.
	if ok, err := st.AcquireLease(ctx, "job2", "dead", ttl); err != nil || !ok {
		t.Fatalf("dead instance's lease: %v %v", ok, err)
	}
	if ok, _ := exclusive(ctx, st, "job2", "b", ttl, func(context.Context) error { return nil }); ok {
		t.Fatal("b ran the job while the dead instance's lease was fresh")
	}
	time.Sleep(ttl + 50*time.Millisecond)
	if ok, _ := exclusive(ctx, st, "job2", "b", ttl, func(context.Context) error { return nil }); !ok {
		t.Fatal("b could not take the lapsed lease")
	}

	// A job whose lease another instance takes over is told to stop.
	stolen := make(chan struct{})
	ok, err := exclusive(ctx, st, "job3", "a", ttl, func(jctx context.Context) error {
		// Another instance takes the lease as if a's renewals had stalled.
		if err := st.ReleaseLease(ctx, "job3", "a"); err != nil {
			return err
		}
		if ok, err := st.AcquireLease(ctx, "job3", "b", time.Minute); err != nil || !ok {
			t.Errorf("b could not take the released lease: %v", err)
		}
		select {
		case <-jctx.Done():
			close(stolen)
		case <-time.After(5 * ttl):
		}
		return nil
	})
	if err != nil || !ok {
		t.Fatalf("exclusive: %v %v", ok, err)
	}
	select {
	case <-stolen:
	default:
		t.Fatal("the job's context did not end when its lease was taken over")
	}
	var _ store.Leases = st
}
