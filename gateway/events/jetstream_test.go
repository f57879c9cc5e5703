package events_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/gateway/events"
	"github.com/ledgergate/ledgergate/internal/testenv"
)

// jsConfig returns a stream and subject of the test's own (parallel test
// packages share the server) and deletes the stream when the test ends.
func jsConfig(t *testing.T, maxMsgs int64) events.JetStreamConfig {
	t.Helper()
	_, stream, subject := testenv.NATSStream(t, "EV")
	return events.JetStreamConfig{Stream: stream, Subject: subject, MaxMsgs: maxMsgs}
}

// instance opens a bus (one gateway instance's) on the stream.
func instance(ctx context.Context, t *testing.T, cfg events.JetStreamConfig, opts ...events.BusOption) *events.Bus {
	t.Helper()
	b := events.NewBus(opts...)
	js, err := events.OpenJetStream(ctx, cfg, b, nil)
	testenv.Need(t, "NATS JetStream", err)
	t.Cleanup(func() { _ = js.Close(); _ = b.Close() })
	return b
}

func publishN(ctx context.Context, t *testing.T, b *events.Bus, prefix string, n int) {
	t.Helper()
	for i := range n {
		id := fmt.Sprint(prefix, i)
		ev, err := events.New(events.TypeAccepted, events.Attrs{Partner: "p", Subject: id}, events.RecordData{RecordID: id})
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Publish(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
}

// take reads n events and returns their sequences; a gap fails the test.
func take(ctx context.Context, t *testing.T, s *events.Sub, n int) []uint64 {
	t.Helper()
	var seqs []uint64
	for range n {
		it, gap, err := s.Next(ctx)
		if err != nil || gap != nil {
			t.Fatalf("after %v: %v, gap %+v", seqs, err, gap)
		}
		seqs = append(seqs, it.Seq)
	}
	return seqs
}

func contiguous(seqs []uint64, from uint64) bool {
	for i, s := range seqs {
		if s != from+uint64(i) {
			return false
		}
	}
	return true
}

// TestJetStreamSharedStream: two gateway instances (two buses) on one
// JetStream stream deliver every event, whoever published it, in the same
// order with the same sequence numbers.
func TestJetStreamSharedStream(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cfg := jsConfig(t, 0)
	buses := []*events.Bus{instance(ctx, t, cfg), instance(ctx, t, cfg)}
	subs := []*events.Sub{buses[0].Subscribe(events.Filter{}, 0, false), buses[1].Subscribe(events.Filter{}, 0, false)}
	for i := range 10 {
		publishN(ctx, t, buses[i%2], fmt.Sprint("r", i, "-"), 1)
	}
	var seqs [2][]uint64
	for j, s := range subs {
		seqs[j] = take(ctx, t, s, 10)
	}
	if fmt.Sprint(seqs[0]) != fmt.Sprint(seqs[1]) || !contiguous(seqs[0], seqs[0][0]) {
		t.Fatalf("sequences differ or skip: %v vs %v", seqs[0], seqs[1])
	}
}

// TestJetStreamResumeBeyondRing: a subscription resumed on another
// instance from a sequence older than that instance's ring (or than the
// instance itself) gets every later event from the stream, in order, once,
// then the live ones.
func TestJetStreamResumeBeyondRing(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cfg := jsConfig(t, 0)
	a := instance(ctx, t, cfg)
	b := instance(ctx, t, cfg, events.WithRingSize(4))
	onA := a.Subscribe(events.Filter{}, 0, false)
	publishN(ctx, t, a, "a", 3)
	seen := take(ctx, t, onA, 3)
	pos := seen[2]
	publishN(ctx, t, a, "b", 20) // the client is away; b's ring keeps 4 of these
	r := b.Subscribe(events.Filter{}, pos, true)
	if got := take(ctx, t, r, 20); !contiguous(got, pos+1) {
		t.Fatalf("resumed on the other instance after %d: %v", pos, got)
	}
	publishN(ctx, t, b, "c", 2)
	if got := take(ctx, t, r, 2); !contiguous(got, pos+21) {
		t.Fatalf("live after the replay: %v, want from %d", got, pos+21)
	}

	// An instance started after all of it: the same from the stream.
	late := instance(ctx, t, cfg, events.WithRingSize(4))
	r2 := late.Subscribe(events.Filter{}, seen[0], true)
	if got := take(ctx, t, r2, 24); !contiguous(got, seen[0]+1) {
		t.Fatalf("resumed on a new instance after %d: %v", seen[0], got)
	}
	// A position the stream never reached.
	if _, _, err := late.Subscribe(events.Filter{}, pos+1000, true).Next(ctx); !errors.Is(err, events.ErrUnknownSequence) {
		t.Fatalf("resume after %d: %v, want ErrUnknownSequence", pos+1000, err)
	}
}

// TestJetStreamTooOld: a resume from before what the stream retains
// (maxMsgs) reports the lost sequences as one gap, then the retained ones.
func TestJetStreamTooOld(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cfg := jsConfig(t, 5)
	a := instance(ctx, t, cfg)
	first := a.Last()
	publishN(ctx, t, a, "x", 12)
	b := instance(ctx, t, cfg, events.WithRingSize(2)) // ring empty, starts at the stream's end
	s := b.Subscribe(events.Filter{}, first, true)
	_, gap, err := s.Next(ctx)
	if err != nil || gap == nil || *gap != (events.Gap{From: first + 1, To: first + 7}) {
		t.Fatalf("gap %+v, err %v; want %d..%d", gap, err, first+1, first+7)
	}
	if got := take(ctx, t, s, 5); !contiguous(got, first+8) {
		t.Fatalf("retained after the gap: %v, want from %d", got, first+8)
	}
}
