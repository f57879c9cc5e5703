package events

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	cloudevents "github.com/cloudevents/sdk-go/v2"
)

// memLog is a Log in memory with JetStream's semantics: sequences from 1,
// delivered to the bus as they are published, the oldest trimmed away.
type memLog struct {
	mu      sync.Mutex
	bus     *Bus
	first   uint64 // oldest held (1 until trimmed)
	evs     []cloudevents.Event
	wake    chan struct{}
	readers int // open readers
}

func newMemLog(b *Bus) *memLog {
	l := &memLog{bus: b, first: 1, wake: make(chan struct{})}
	b.SetBackend(l, 0)
	return l
}

func (l *memLog) Publish(_ context.Context, ev cloudevents.Event) error {
	l.mu.Lock()
	l.evs = append(l.evs, ev)
	seq := uint64(len(l.evs))
	close(l.wake)
	l.wake = make(chan struct{})
	l.mu.Unlock()
	return l.bus.Deliver(seq, ev)
}

func (l *memLog) Close() error { return nil }

// trim drops the events before first.
func (l *memLog) trim(first uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.first = first
}

func (l *memLog) Bounds(context.Context) (uint64, uint64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.first, uint64(len(l.evs)), nil
}

func (l *memLog) open() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.readers
}

func (l *memLog) Read(_ context.Context, from uint64) (LogReader, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.readers++
	return &memReader{l: l, pos: from}, nil
}

type memReader struct {
	l   *memLog
	pos uint64
}

func (r *memReader) Next(ctx context.Context) (uint64, *cloudevents.Event, error) {
	for {
		r.l.mu.Lock()
		r.pos = max(r.pos, r.l.first)
		if r.pos <= uint64(len(r.l.evs)) {
			ev := r.l.evs[r.pos-1].Clone()
			seq := r.pos
			r.pos++
			r.l.mu.Unlock()
			return seq, &ev, nil
		}
		wake := r.l.wake
		r.l.mu.Unlock()
		select {
		case <-ctx.Done():
			return 0, nil, ctx.Err()
		case <-wake:
		}
	}
}

func (r *memReader) Close() error {
	r.l.mu.Lock()
	defer r.l.mu.Unlock()
	r.l.readers--
	return nil
}

// expect reads n events and checks their sequences are want..want+n-1.
func expect(t *testing.T, s *Sub, want uint64, n int) {
	t.Helper()
	for i := range n {
		it, gap := next(t, s)
		if gap != nil || it.Seq != want+uint64(i) {
			t.Fatalf("event %d: got %d (gap %+v), want %d", i, it.Seq, gap, want+uint64(i))
		}
	}
}

// A resume from before the ring, and a subscriber that falls behind it,
// read the missed events from the log, then continue with the ring.
func TestBusReplaysFromLog(t *testing.T) {
	b := NewBus(WithRingSize(3))
	l := newMemLog(b)
	slow := b.Subscribe(Filter{}, 0, false)
	for i := range 10 {
		publish(t, b, TypeAccepted, "p", "T", fmt.Sprint("r", i+1))
	}
	// The ring holds 8..10.
	r := b.Subscribe(Filter{}, 2, true)
	expect(t, r, 3, 8)
	if l.open() != 0 {
		t.Fatalf("%d log readers open after catching up with the ring", l.open())
	}
	publish(t, b, TypeAccepted, "p", "T", "r11")
	expect(t, r, 11, 1)
	// The subscriber that never read: 1..11, none missed.
	expect(t, slow, 1, 11)

	// Filters apply to replayed events too; positions move past the others.
	publish(t, b, TypeConfirmed, "q", "T", "r12")
	publish(t, b, TypeConfirmed, "p", "T", "r13")
	f := b.Subscribe(Filter{Types: []string{TypeConfirmed}, Partner: "p"}, 1, true)
	it, gap := next(t, f)
	if gap != nil || it.Seq != 13 || it.Partner != "p" {
		t.Fatalf("filtered replay: %+v %+v", it, gap)
	}
	if err := f.Close(); err != nil || l.open() != 0 {
		t.Fatalf("close: %v, %d readers open", err, l.open())
	}
}

// What neither the ring nor the log holds is one gap; then the oldest
// event held by either.
func TestBusLogTooOld(t *testing.T) {
	b := NewBus(WithRingSize(5))
	l := newMemLog(b)
	for i := range 10 {
		publish(t, b, TypeAccepted, "p", "T", fmt.Sprint("r", i+1))
	}
	// Ring 6..10; log trimmed to 4..10.
	l.trim(4)
	s := b.Subscribe(Filter{}, 1, true)
	if _, gap := next(t, s); gap == nil || *gap != (Gap{From: 2, To: 3}) {
		t.Fatalf("gap %+v, want 2..3", gap)
	}
	expect(t, s, 4, 7)

	// A log keeping fewer events than the ring: the ring's are not a gap.
	l.trim(9)
	s = b.Subscribe(Filter{}, 1, true)
	if _, gap := next(t, s); gap == nil || *gap != (Gap{From: 2, To: 5}) {
		t.Fatalf("gap %+v, want 2..5 (6.. are in the ring)", gap)
	}
	expect(t, s, 6, 5)
}

// A resume position the stream never reached is refused, with or without
// a log; the newest sequence itself is a valid position.
func TestBusUnknownSequence(t *testing.T) {
	ring := NewBus()
	publish(t, ring, TypeAccepted, "p", "T", "r1")
	ctx := context.Background()
	if _, _, err := ring.Subscribe(Filter{}, ring.Last()+1, true).Next(ctx); !errors.Is(err, ErrUnknownSequence) {
		t.Fatalf("ring: err %v, want ErrUnknownSequence", err)
	}
	lb := NewBus()
	newMemLog(lb)
	publish(t, lb, TypeAccepted, "p", "T", "r1")
	if _, _, err := lb.Subscribe(Filter{}, 2, true).Next(ctx); !errors.Is(err, ErrUnknownSequence) {
		t.Fatalf("log: err %v, want ErrUnknownSequence", err)
	}
	s := lb.Subscribe(Filter{}, 1, true)
	publish(t, lb, TypeAccepted, "p", "T", "r2")
	expect(t, s, 2, 1)
}
