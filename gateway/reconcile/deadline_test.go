package reconcile

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

type ctxKey struct{}

func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// TestLazyDeadline checks lazyDeadline against context.WithDeadline.
func TestLazyDeadline(t *testing.T) {
	parent := context.WithValue(context.Background(), ctxKey{}, "v")
	far := time.Now().Add(time.Hour)

	t.Run("fresh", func(t *testing.T) {
		c, stop := withLazyDeadline(parent, far)
		defer stop()
		if d, ok := c.Deadline(); !ok || !d.Equal(far) {
			t.Fatalf("deadline %v %v", d, ok)
		}
		if c.Err() != nil || c.armed != nil {
			t.Fatalf("err %v, armed %v", c.Err(), c.armed)
		}
		if c.Value(ctxKey{}) != "v" {
			t.Fatal("value not passed through")
		}
		if c.Err() != nil || isClosed(c.Done()) {
			t.Fatal("armed context ended early")
		}
	})
	t.Run("deadline passes unwatched", func(t *testing.T) {
		c, stop := withLazyDeadline(parent, time.Now().Add(-time.Millisecond))
		if !errors.Is(c.Err(), context.DeadlineExceeded) {
			t.Fatalf("err %v", c.Err())
		}
		stop()
		if !errors.Is(c.Err(), context.DeadlineExceeded) || !isClosed(c.Done()) || !errors.Is(c.Err(), context.DeadlineExceeded) {
			t.Fatalf("after stop: %v", c.Err())
		}
		if !errors.Is(context.Cause(c), context.DeadlineExceeded) || c.Value(ctxKey{}) != "v" {
			t.Fatalf("cause %v", context.Cause(c))
		}
	})
	t.Run("watched deadline fires", func(t *testing.T) {
		c, stop := withLazyDeadline(parent, time.Now().Add(20*time.Millisecond))
		defer stop()
		child, cancel := context.WithCancel(c)
		defer cancel()
		select {
		case <-child.Done():
		case <-time.After(10 * time.Second):
			t.Fatal("deadline did not fire")
		}
		if !errors.Is(c.Err(), context.DeadlineExceeded) || !errors.Is(child.Err(), context.DeadlineExceeded) || !errors.Is(context.Cause(c), context.DeadlineExceeded) {
			t.Fatalf("errs %v %v %v", c.Err(), child.Err(), context.Cause(c))
		}
	})
	t.Run("stop first", func(t *testing.T) {
		c, stop := withLazyDeadline(parent, time.Now().Add(20*time.Millisecond))
		stop()
		if !errors.Is(c.Err(), context.Canceled) {
			t.Fatalf("err %v", c.Err())
		}
		time.Sleep(30 * time.Millisecond) // the deadline passes: the first error stays
		if !errors.Is(c.Err(), context.Canceled) || !isClosed(c.Done()) || !errors.Is(c.Err(), context.Canceled) || c.Value(ctxKey{}) != "v" {
			t.Fatalf("err %v", c.Err())
		}
	})
	t.Run("stop after watching", func(t *testing.T) {
		c, stop := withLazyDeadline(parent, far)
		done := c.Done()
		stop()
		if !isClosed(done) || !errors.Is(c.Err(), context.Canceled) {
			t.Fatalf("err %v", c.Err())
		}
	})
	t.Run("parent ends", func(t *testing.T) {
		p, cancel := context.WithCancel(parent)
		c, stop := withLazyDeadline(p, far)
		cancel()
		if !errors.Is(c.Err(), context.Canceled) || !isClosed(c.Done()) {
			t.Fatalf("err %v", c.Err())
		}
		stop()
		if !errors.Is(c.Err(), context.Canceled) {
			t.Fatalf("err %v", c.Err())
		}
		p2, cancel2 := context.WithCancel(parent)
		c2, stop2 := withLazyDeadline(p2, far)
		done := c2.Done()
		cancel2()
		<-done
		stop2()
		if !errors.Is(c2.Err(), context.Canceled) {
			t.Fatalf("err %v", c2.Err())
		}
	})
	t.Run("parent deadline earlier", func(t *testing.T) {
		early := time.Now().Add(time.Minute)
		p, cancel := context.WithDeadline(parent, early)
		defer cancel()
		c, stop := withLazyDeadline(p, far)
		defer stop()
		if d, _ := c.Deadline(); !d.Equal(early) {
			t.Fatalf("deadline %v, want the parent's %v", d, early)
		}
		want, wcancel := context.WithDeadline(p, far)
		defer wcancel()
		if d, _ := want.Deadline(); !d.Equal(early) {
			t.Fatalf("context.WithDeadline says %v", d)
		}
	})
	t.Run("concurrent", func(t *testing.T) {
		for range 100 {
			c, stop := withLazyDeadline(parent, time.Now().Add(time.Millisecond))
			var wg sync.WaitGroup
			for i := range 4 {
				wg.Go(func() {
					switch i {
					case 0:
						<-c.Done()
					case 1:
						_ = c.Err()
						time.Sleep(2 * time.Millisecond)
						_ = c.Err()
					case 2:
						_ = c.Value(ctxKey{})
					case 3:
						stop()
					}
				})
			}
			wg.Wait()
			if c.Err() == nil || !isClosed(c.Done()) {
				t.Fatalf("err %v", c.Err())
			}
		}
	})
}

func BenchmarkLazyDeadline(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	defer threadCPU(b)()
	for range b.N {
		c, stop := withLazyDeadline(ctx, time.Now().Add(readTimeout))
		_ = c.Err()
		stop()
	}
}

func BenchmarkWithTimeout(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	defer threadCPU(b)()
	for range b.N {
		c, stop := context.WithTimeout(ctx, readTimeout)
		_ = c.Err()
		stop()
	}
}
