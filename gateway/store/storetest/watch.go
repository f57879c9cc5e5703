package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/gateway/store"
)

func deadLetters(t *testing.T, s store.Store) {
	dl, ok := s.(store.DeadLetters)
	if !ok {
		t.Skip("store does not implement store.DeadLetters")
	}
	ctx := context.Background()
	a, err := dl.AddDeadLetter(ctx, store.DeadLetter{Kind: store.DeadLetterSource, Source: "eth-partner", Key: "0xaa:1",
		Payload: []byte(`{"n":1}`), Provenance: []byte(`{"txHash":"0xaa"}`), Error: "mapping: boom"})
	if err != nil {
		t.Fatal(err)
	}
	if a.ID == 0 || a.State != store.DeadLetterOpen || a.Attempts != 1 || string(a.Payload) != `{"n":1}` || a.Error != "mapping: boom" {
		t.Fatalf("added %+v", a)
	}
	if _, err := dl.AddDeadLetter(ctx, store.DeadLetter{Kind: store.DeadLetterWebhook, Source: "hook", Key: "7", Payload: []byte(`{}`), Error: "503"}); err != nil {
		t.Fatal(err)
	}
	if err := dl.ResolveDeadLetter(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	again, err := dl.AddDeadLetter(ctx, store.DeadLetter{Kind: store.DeadLetterSource, Source: "eth-partner", Key: "0xaa:1", Payload: []byte(`{"n":1}`), Error: "still bad"})
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != a.ID || again.Attempts != 2 || again.State != store.DeadLetterOpen || again.Error != "still bad" {
		t.Fatalf("re-added %+v, first %+v", again, a)
	}
	open, err := dl.DeadLetters(ctx, store.DeadLetterQuery{State: store.DeadLetterOpen})
	if err != nil || len(open) != 2 {
		t.Fatalf("open: %v %+v", err, open)
	}
	src, err := dl.DeadLetters(ctx, store.DeadLetterQuery{Kind: store.DeadLetterSource, Source: "eth-partner"})
	if err != nil || len(src) != 1 || src[0].ID != a.ID {
		t.Fatalf("by source: %v %+v", err, src)
	}
	page, err := dl.DeadLetters(ctx, store.DeadLetterQuery{After: a.ID, Limit: 1})
	if err != nil || len(page) != 1 || page[0].ID <= a.ID {
		t.Fatalf("after: %v %+v", err, page)
	}
	if _, err := dl.DeadLetter(ctx, 999999); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing: %v", err)
	}
	if err := dl.ResolveDeadLetter(ctx, 999999); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("resolve missing: %v", err)
	}
}

func leases(t *testing.T, s store.Store) {
	ls, ok := s.(store.Leases)
	if !ok {
		t.Skip("store does not implement store.Leases")
	}
	ctx := context.Background()
	got := func(owner string, ttl time.Duration) bool {
		t.Helper()
		ok, err := ls.AcquireLease(ctx, "source:x", owner, ttl)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !got("a", time.Hour) {
		t.Fatal("a could not take a free lease")
	}
	if got("b", time.Hour) {
		t.Fatal("b took a lease a holds")
	}
	if !got("a", time.Hour) {
		t.Fatal("a could not renew")
	}
	if owner, until, err := ls.LeaseHolder(ctx, "source:x"); err != nil || owner != "a" || until.Before(time.Now()) {
		t.Fatalf("holder %q %v %v", owner, until, err)
	}
	if !got("a", -time.Second) { // renew into the past: expired
		t.Fatal("a could not renew")
	}
	if !got("b", time.Hour) {
		t.Fatal("b could not take an expired lease")
	}
	if err := ls.ReleaseLease(ctx, "source:x", "a"); err != nil { // not a's: no effect
		t.Fatal(err)
	}
	if got("a", time.Hour) {
		t.Fatal("a took b's lease after releasing nothing")
	}
	if err := ls.ReleaseLease(ctx, "source:x", "b"); err != nil {
		t.Fatal(err)
	}
	if !got("a", time.Hour) {
		t.Fatal("a could not take a released lease")
	}
	if owner, _, err := ls.LeaseHolder(ctx, "source:none"); err != nil || owner != "" {
		t.Fatalf("unknown lease: %q %v", owner, err)
	}
}
