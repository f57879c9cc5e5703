package conformance

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/schema"
)

func watcher(t *testing.T, a adapters.Adapter) adapters.Watcher {
	t.Helper()
	w, ok := a.(adapters.Watcher)
	if !ok {
		t.Fatalf("%T does not implement adapters.Watcher (set Harness.SkipWatch if it never will)", a)
	}
	return w
}

// collect watches from cp and returns, in delivery order, the events of the
// records in ids, stopping at the event of the sentinel id. Because the
// sentinel was written after every record in ids committed, every event of
// those records (and any duplicate) has been delivered by then.
func (k *kit) collect(t *testing.T, ctx context.Context, w adapters.Watcher, cp adapters.Checkpoint, ids map[string]bool, sentinel string) []adapters.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, k.h.EventTimeout)
	defer cancel()
	var got []adapters.Event
	for ev, err := range w.Watch(ctx, cp) {
		if err != nil {
			t.Fatalf("Watch(%q): %v", cp, err)
		}
		if ev.Kind != adapters.EventWritten {
			continue
		}
		if ev.RecordID == sentinel {
			return got
		}
		if ids[ev.RecordID] {
			if ev.Checkpoint == "" {
				t.Fatalf("event of %s has an empty checkpoint", ev.RecordID)
			}
			got = append(got, ev)
		}
	}
	t.Fatalf("Watch(%q) did not deliver the event of record %s, written after the others, within %v (%v)", cp, sentinel, k.h.EventTimeout, ctx.Err())
	return nil
}

// expectExactly checks that events hold each record of want exactly once,
// with the right digest.
func expectExactly(t *testing.T, what string, events []adapters.Event, want []*schema.Record) {
	t.Helper()
	count := map[string]int{}
	for _, ev := range events {
		count[ev.RecordID]++
	}
	for _, r := range want {
		switch n := count[r.ID]; n {
		case 1:
		case 0:
			t.Errorf("%s: lost the event of %s", what, r.ID)
		default:
			t.Errorf("%s: the event of %s arrived %d times", what, r.ID, n)
		}
	}
	wantIDs := map[string]bool{}
	for _, r := range want {
		wantIDs[r.ID] = true
	}
	for _, ev := range events {
		if !wantIDs[ev.RecordID] {
			t.Errorf("%s: unexpected event of %s (before the checkpoint)", what, ev.RecordID)
		}
	}
	byID := map[string]*schema.Record{}
	for _, r := range want {
		byID[r.ID] = r
	}
	for _, ev := range events {
		if r := byID[ev.RecordID]; r != nil && (ev.Digest != r.Digest || ev.Type != r.Type) {
			t.Errorf("%s: event of %s has digest %s type %s, want %s %s", what, r.ID, ev.Digest, ev.Type, r.Digest, r.Type)
		}
	}
}

// expectOrder checks events arrive in the order the records were written
// (each write committed before the next began).
func expectOrder(t *testing.T, what string, events []adapters.Event, want []*schema.Record) {
	t.Helper()
	if t.Failed() || len(events) != len(want) {
		return
	}
	for i := range want {
		if events[i].RecordID != want[i].ID {
			t.Errorf("%s: event %d is %s, want %s (ledger order)", what, i, events[i].RecordID, want[i].ID)
			return
		}
	}
}

func idSet(recs ...*schema.Record) map[string]bool {
	m := map[string]bool{}
	for _, r := range recs {
		m[r.ID] = true
	}
	return m
}

func (k *kit) watchFromStart(t *testing.T, e *env) {
	w := watcher(t, e.a)
	var recs []*schema.Record
	for i := range 6 {
		r := e.m.make()
		k.write(t, e, r, policies[i%len(policies)])
		recs = append(recs, r)
	}
	sentinel := e.m.make()
	k.write(t, e, sentinel, policies[0])
	events := k.collect(t, e.ctx, w, "", idSet(recs...), sentinel.ID)
	expectExactly(t, "watch from the start", events, recs)
	expectOrder(t, "watch from the start", events, recs)
}

func (k *kit) watchResume(t *testing.T, e *env) {
	w := watcher(t, e.a)
	var first []*schema.Record
	for range 4 {
		r := e.m.make()
		k.write(t, e, r, policies[0])
		first = append(first, r)
	}
	s1 := e.m.make()
	k.write(t, e, s1, policies[0])
	events := k.collect(t, e.ctx, w, "", idSet(first...), s1.ID)
	expectExactly(t, "first watch", events, first)
	expectOrder(t, "first watch", events, first)
	if t.Failed() {
		return
	}
	// Resume from the checkpoint of the second record: a restart.
	cp := adapters.Checkpoint(string(events[1].Checkpoint)) // through its string form, as a store would
	var second []*schema.Record
	for range 3 {
		r := e.m.make()
		k.write(t, e, r, policies[2])
		second = append(second, r)
	}
	s2 := e.m.make()
	k.write(t, e, s2, policies[0])
	want := append(append([]*schema.Record{}, first[2:]...), second...)
	resumed := k.collect(t, e.ctx, w, cp, idSet(append(first, second...)...), s2.ID)
	expectExactly(t, "resume from checkpoint", resumed, want)
	expectOrder(t, "resume from checkpoint", resumed, want)

	// Resuming from the last event's checkpoint yields only what follows.
	if len(resumed) > 0 {
		last := resumed[len(resumed)-1].Checkpoint
		r := e.m.make()
		k.write(t, e, r, policies[0])
		s3 := e.m.make()
		k.write(t, e, s3, policies[0])
		tail := k.collect(t, e.ctx, w, last, idSet(append(append(first, second...), r)...), s3.ID)
		expectExactly(t, "resume from the last checkpoint", tail, []*schema.Record{r})
	}
}

func (k *kit) watchCancel(t *testing.T, e *env) {
	w := watcher(t, e.a)
	ctx, cancel := context.WithCancel(e.ctx)
	started := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		close(started)
		var err error
		for _, werr := range w.Watch(ctx, "") {
			if werr != nil {
				err = werr
			}
		}
		done <- err
	}()
	<-started
	// Give the stream something to deliver, then cancel.
	k.write(t, e, e.m.make(), policies[0])
	cancel()
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Fatalf("Watch ended with %v after cancel, want a clean end", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("Watch did not end within 30s of its context being cancelled")
	}
}
