package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	cloudevents "github.com/cloudevents/sdk-go/v2"
)

// ErrClosed: the bus was closed.
var ErrClosed = errors.New("events: bus closed")

// ErrUnknownSequence: a resume position is newer than anything the stream
// has held, so it belongs to another stream (a gateway instance that does
// not share this one's NATS stream, or a stream that was recreated) and
// the events missed since cannot be known.
var ErrUnknownSequence = errors.New("events: resume sequence unknown to this stream")

// Backend is a shared, durable event log (NATS JetStream) that several
// gateway instances publish to. With a backend, Bus.Publish hands events
// to it, and the backend's consumer feeds every event of the shared log,
// with the log's sequence number, back through Bus.Deliver.
type Backend interface {
	Publish(ctx context.Context, ev cloudevents.Event) error
	Close() error
}

// Log is a Backend whose events can be read again by sequence. With one,
// a subscription that resumes from before the replay ring, or falls
// behind it, reads the events it misses from the log (in order, no gap, no
// duplicate) and then continues with the ring; only events the log no
// longer retains either are reported as a Gap.
type Log interface {
	Backend
	// Bounds returns the oldest and the newest sequence the log holds
	// (first > last when it holds none).
	Bounds(ctx context.Context) (first, last uint64, err error)
	// Read returns a reader of the log's events from sequence from on.
	Read(ctx context.Context, from uint64) (LogReader, error)
}

// LogReader reads a Log in sequence order. It is used by one goroutine.
type LogReader interface {
	// Next returns the next sequence the log holds and its event, waiting
	// for one; ev is nil when that message is not an event (it is
	// skipped). Sequences the log no longer holds are not returned.
	Next(ctx context.Context) (seq uint64, ev *cloudevents.Event, err error)
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
// slow subscriber never blocks publishers or other subscribers. One that
// falls further behind than the ring holds, or resumes from before it,
// reads the missed events from the backend's Log when there is one
// (JetStream); what neither holds any more it is told about (a Gap), and
// it continues with the oldest event still held.
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

// itemOf encodes ev, with its sequence extension set, as an Item.
func itemOf(seq uint64, ev *cloudevents.Event) (Item, error) {
	ev.SetExtension(ExtSequence, strconv.FormatUint(seq, 10))
	data, err := json.Marshal(ev)
	if err != nil {
		return Item{}, fmt.Errorf("events: encode event %d: %w", seq, err)
	}
	partner, rt := attrsOf(ev)
	return Item{Seq: seq, Type: ev.Type(), Partner: partner, RecordType: rt, Data: data}, nil
}

func (b *Bus) appendLocked(seq uint64, ev *cloudevents.Event) error {
	it, err := itemOf(seq, ev)
	if err != nil {
		return err
	}
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

// Sub reads the bus from a position. A Sub is used by one goroutine;
// Close releases it.
type Sub struct {
	b      *Bus
	f      Filter
	after  uint64
	check  bool      // resumed: check the position is known before the first event
	rd     LogReader // reading the backend's log (behind the ring)
	parked *logged   // read from the log after a gap, not yet returned
}

type logged struct {
	seq uint64
	ev  *cloudevents.Event
}

// Subscribe returns a subscription to events matching f after sequence
// after; resume false starts with the next event published.
func (b *Bus) Subscribe(f Filter, after uint64, resume bool) *Sub {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !resume {
		after = b.last
	}
	return &Sub{b: b, f: f, after: after, check: resume}
}

// Position is the sequence of the last event the subscription passed.
func (s *Sub) Position() uint64 { return s.after }

// Close releases the subscription's log reader, if any. Next may be
// called again afterwards (it opens a new reader if it needs one).
func (s *Sub) Close() error {
	s.parked = nil
	if s.rd == nil {
		return nil
	}
	err := s.rd.Close()
	s.rd = nil
	return err
}

// Next returns the next matching event, waiting for one; or a gap, when
// events after the subscription's position are retained neither by the
// ring nor by the backend's log. It fails with ctx's error, ErrClosed,
// ErrUnknownSequence (first call of a resumed subscription whose position
// this stream never reached), or an error reading the log (the position
// is kept: calling Next again retries).
func (s *Sub) Next(ctx context.Context) (Item, *Gap, error) {
	if s.check {
		if err := s.checkPosition(ctx); err != nil {
			return Item{}, nil, err
		}
		s.check = false
	}
	b := s.b
	for {
		b.mu.Lock()
		if b.closed {
			b.mu.Unlock()
			return Item{}, nil, ErrClosed
		}
		if s.after < b.evicted {
			if lg, ok := b.backend.(Log); ok {
				b.mu.Unlock()
				it, gap, ok, err := s.fromLog(ctx, lg)
				if err != nil || gap != nil || ok {
					return it, gap, err
				}
				continue
			}
			g := &Gap{From: s.after + 1, To: b.evicted}
			s.after = b.evicted
			b.mu.Unlock()
			return Item{}, g, nil
		}
		if s.rd != nil || s.parked != nil {
			// Caught up with the ring: everything after the position is
			// held there (or will be delivered to it).
			b.mu.Unlock()
			_ = s.Close()
			continue
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

// checkPosition fails with ErrUnknownSequence when a resumed position is
// newer than the newest event of the stream (the ring's newest, or with a
// log the log's, which an instance's ring may still be catching up with).
func (s *Sub) checkPosition(ctx context.Context) error {
	b := s.b
	b.mu.Lock()
	last, be := b.last, b.backend
	b.mu.Unlock()
	if s.after <= last {
		return nil
	}
	if be != nil {
		lg, ok := be.(Log)
		if !ok {
			return nil // cannot tell
		}
		_, llast, err := lg.Bounds(ctx)
		if err != nil {
			return fmt.Errorf("events: check resume position %d: %w", s.after, err)
		}
		if s.after <= llast {
			return nil
		}
		last = llast
	}
	return fmt.Errorf("%w: %d is newer than the newest event, %d", ErrUnknownSequence, s.after, last)
}

// fromLog reads the event after the position from the log: ok reports a
// matching item; neither ok nor a gap means the position moved past a
// non-matching event.
func (s *Sub) fromLog(ctx context.Context, lg Log) (it Item, gap *Gap, ok bool, err error) {
	var e logged
	if s.parked != nil {
		e, s.parked = *s.parked, nil
	} else {
		if s.rd == nil {
			if s.rd, err = lg.Read(ctx, s.after+1); err != nil {
				s.rd = nil
				return Item{}, nil, false, fmt.Errorf("events: replay from %d: %w", s.after+1, err)
			}
		}
		if e.seq, e.ev, err = s.rd.Next(ctx); err != nil {
			_ = s.Close()
			return Item{}, nil, false, fmt.Errorf("events: replay after %d: %w", s.after, err)
		}
		if e.seq <= s.after {
			return Item{}, nil, false, nil
		}
		if e.seq > s.after+1 {
			// The log no longer holds the events in between; those the
			// ring still holds (a log retaining fewer than the ring) are
			// read from the ring.
			s.b.mu.Lock()
			evicted := s.b.evicted
			s.b.mu.Unlock()
			gap = &Gap{From: s.after + 1, To: min(e.seq-1, evicted)}
			s.after = gap.To
			if gap.To == e.seq-1 {
				s.parked = &e
			}
			return Item{}, gap, false, nil
		}
	}
	s.after = e.seq
	if e.ev == nil {
		return Item{}, nil, false, nil
	}
	if it, err = itemOf(e.seq, e.ev); err != nil {
		return Item{}, nil, false, err
	}
	return it, nil, s.f.Match(&it), nil
}
