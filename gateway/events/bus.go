package events

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	cloudevents "github.com/cloudevents/sdk-go/v2"
)

// ErrClosed: the bus was closed.
var ErrClosed = errors.New("events: bus closed")

// Backend is a shared, durable event log (NATS JetStream) that several
// gateway instances publish to. With a backend, Bus.Publish hands events
// to it, and the backend's consumer feeds every event of the shared log,
// with the log's sequence number, back through Bus.Deliver.
type Backend interface {
	Publish(ctx context.Context, ev cloudevents.Event) error
	Close() error
}

// Item is one event as the bus delivers it: its sequence, its filter
// attributes, and its structured-mode CloudEvents JSON.
type Item struct {
	Seq        uint64
	Type       string
	Partner    string
	RecordType string
	Data       []byte // the event, JSON (structured mode), with the sequence extension set
}

// Filter selects events. Zero fields select everything.
type Filter struct {
	// Types are exact types, or prefixes ending in "*"
	// ("org.ledgergate.record.*").
	Types      []string
	Partner    string
	RecordType string
}

// Match reports whether the filter selects the item.
func (f Filter) Match(it *Item) bool {
	if f.Partner != "" && it.Partner != f.Partner {
		return false
	}
	if f.RecordType != "" && it.RecordType != f.RecordType {
		return false
	}
	if len(f.Types) == 0 {
		return true
	}
	for _, t := range f.Types {
		if p, ok := strings.CutSuffix(t, "*"); ok {
			if strings.HasPrefix(it.Type, p) {
				return true
			}
		} else if it.Type == t {
			return true
		}
	}
	return false
}

// Bus fans events out to subscribers through a bounded replay ring.
// Subscribers read the ring at their own pace from a sequence number, so a
// slow subscriber never blocks publishers or other subscribers; one that
// falls further behind than the ring holds is told which sequence numbers
// it missed (a Gap) and continues with the oldest event still held.
//
// Without a backend the ring is in memory and sequence numbers start at
// the bus's start time in microseconds, so they keep increasing across
// restarts and a resume from a previous process's sequence reports a gap
// rather than silently skipping. With a backend (JetStream) the sequence
// is the shared log's, the same on every instance.
type Bus struct {
	mu      sync.Mutex
	ring    []Item // circular, capacity fixed
	head    int    // index of the oldest item
	n       int
	last    uint64 // newest sequence delivered
	evicted uint64 // newest sequence no longer held (or the start position)
	wake    chan struct{}
	closed  bool
	backend Backend
	now     func() time.Time
	source  string
}

// BusOption configures a Bus.
type BusOption func(*Bus)

// WithRingSize sets how many events the bus keeps for replay (default 10000).
func WithRingSize(n int) BusOption {
	return func(b *Bus) {
		if n > 0 {
			b.ring = make([]Item, n)
		}
	}
}

// WithSource sets the CloudEvents source of events published without one.
func WithSource(s string) BusOption { return func(b *Bus) { b.source = s } }

// NewBus returns a bus.
func NewBus(opts ...BusOption) *Bus {
	b := &Bus{ring: make([]Item, 10000), wake: make(chan struct{}), now: time.Now}
	for _, o := range opts {
		o(b)
	}
	b.last = uint64(b.now().UnixMicro())
	b.evicted = b.last
	return b
}

// SetBackend routes publishing through a shared log from now on; start is
// the log's newest sequence (events up to it are not replayed).
func (b *Bus) SetBackend(be Backend, start uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.backend = be
	b.head, b.n = 0, 0
	b.last, b.evicted = start, start
}

// Publish publishes an event. It never waits for subscribers.
func (b *Bus) Publish(ctx context.Context, ev cloudevents.Event) error {
	if b.source != "" && ev.Source() == DefaultSource {
		ev.SetSource(b.source)
	}
	b.mu.Lock()
	be, closed := b.backend, b.closed
	b.mu.Unlock()
	if closed {
		return ErrClosed
	}
	if be != nil {
		return be.Publish(ctx, ev)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.appendLocked(b.last+1, &ev)
}

// Deliver adds an event from the backend's log with its sequence. Events
// at or below the newest sequence already held are ignored (redelivery).
func (b *Bus) Deliver(seq uint64, ev cloudevents.Event) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return ErrClosed
	}
	if seq <= b.last {
		return nil
	}
	return b.appendLocked(seq, &ev)
}

func (b *Bus) appendLocked(seq uint64, ev *cloudevents.Event) error {
	ev.SetExtension(ExtSequence, strconv.FormatUint(seq, 10))
	data, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	partner, rt := attrsOf(ev)
	it := Item{Seq: seq, Type: ev.Type(), Partner: partner, RecordType: rt, Data: data}
	if b.n == len(b.ring) {
		b.evicted = b.ring[b.head].Seq
		b.ring[b.head] = it
		b.head = (b.head + 1) % len(b.ring)
	} else {
		b.ring[(b.head+b.n)%len(b.ring)] = it
		b.n++
	}
	b.last = seq
	close(b.wake)
	b.wake = make(chan struct{})
	return nil
}

// Last returns the newest sequence number.
func (b *Bus) Last() uint64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.last
}

// Close ends every subscription.
func (b *Bus) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.closed {
		b.closed = true
		close(b.wake)
	}
	return nil
}

// Gap reports events a subscriber can no longer get: sequences From..To.
type Gap struct {
	From uint64 `json:"from"`
	To   uint64 `json:"to"`
}

// Sub reads the bus from a position.
type Sub struct {
	b     *Bus
	f     Filter
	after uint64
}

// Subscribe returns a subscription to events matching f after sequence
// after; resume false starts with the next event published.
func (b *Bus) Subscribe(f Filter, after uint64, resume bool) *Sub {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !resume {
		after = b.last
	}
	return &Sub{b: b, f: f, after: after}
}

// Position is the sequence of the last event the subscription passed.
func (s *Sub) Position() uint64 { return s.after }

// Next returns the next matching event, waiting for one; or a gap, when
// events after the subscription's position left the ring. It fails with
// ctx's error or ErrClosed.
func (s *Sub) Next(ctx context.Context) (Item, *Gap, error) {
	b := s.b
	for {
		b.mu.Lock()
		if b.closed {
			b.mu.Unlock()
			return Item{}, nil, ErrClosed
		}
		if s.after < b.evicted {
			g := &Gap{From: s.after + 1, To: b.evicted}
			s.after = b.evicted
			b.mu.Unlock()
			return Item{}, g, nil
		}
		// First held item after the position.
		i := sort.Search(b.n, func(i int) bool { return b.ring[(b.head+i)%len(b.ring)].Seq > s.after })
		for ; i < b.n; i++ {
			it := &b.ring[(b.head+i)%len(b.ring)]
			s.after = it.Seq
			if s.f.Match(it) {
				out := *it
				b.mu.Unlock()
				return out, nil, nil
			}
		}
		wake := b.wake
		b.mu.Unlock()
		select {
		case <-ctx.Done():
			return Item{}, nil, ctx.Err()
		case <-wake:
		}
	}
}
