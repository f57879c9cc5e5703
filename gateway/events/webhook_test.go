package events_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/gateway/events"
	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/internal/testenv"
)

func TestWebhooksRetryAndDeadLetter(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	st := testenv.SQLiteStore(t)
	secret := []byte("hook-secret")
	var mu sync.Mutex
	var bodies []string
	var calls atomic.Int32
	got := make(chan struct{}, 10)
	flaky := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		sig := r.Header.Get(events.SignatureHeader)
		ts := strings.TrimPrefix(strings.Split(sig, ",")[0], "t=")
		var sec int64
		for _, c := range ts {
			sec = sec*10 + int64(c-'0')
		}
		if sig != events.Sign(secret, time.Unix(sec, 0), body) || r.Header.Get("Content-Type") != "application/cloudevents+json; charset=utf-8" {
			t.Errorf("bad signature or content type: %q", sig)
		}
		if calls.Add(1) <= 2 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		mu.Lock()
		bodies = append(bodies, string(body))
		mu.Unlock()
		got <- struct{}{}
	}))
	defer flaky.Close()
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusInternalServerError) }))
	defer down.Close()

	bus := events.NewBus()
	wh := events.NewWebhooks(bus, st, []events.Webhook{
		{Name: "flaky", URL: flaky.URL, Secret: secret, Filter: events.Filter{Types: []string{events.TypeConfirmed}}, BackoffBase: time.Millisecond, BackoffMax: 5 * time.Millisecond},
		{Name: "down", URL: down.URL, Secret: secret, MaxAttempts: 2, BackoffBase: time.Millisecond},
	}, nil, nil)
	// Both webhooks start right after the current position.
	for _, name := range []string{"flaky", "down"} {
		if err := st.SetCheckpoint(ctx, "webhook:"+name, adapters.Checkpoint(strconv.FormatUint(bus.Last(), 10))); err != nil {
			t.Fatal(err)
		}
	}
	rctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { _ = wh.Run(rctx); close(done) }()
	ev, _ := events.New(events.TypeConfirmed, events.Attrs{Subject: "r1"}, events.RecordData{RecordID: "r1"})
	if err := bus.Publish(ctx, ev); err != nil {
		t.Fatal(err)
	}
	select {
	case <-got:
	case <-ctx.Done():
		t.Fatal("flaky webhook never got the event")
	}
	mu.Lock()
	if len(bodies) != 1 || !strings.Contains(bodies[0], `"subject":"r1"`) {
		t.Fatalf("bodies %v", bodies)
	}
	mu.Unlock()
	// The down webhook dead-letters the events it could not deliver.
	var dl []store.DeadLetter
	var err error
	for ctx.Err() == nil {
		dl, err = st.DeadLetters(ctx, store.DeadLetterQuery{Kind: store.DeadLetterWebhook, Source: "down"})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, d := range dl {
			found = found || strings.Contains(string(d.Payload), `"subject":"r1"`)
		}
		if found {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if ctx.Err() != nil {
		t.Fatal("no dead letter for r1")
	}
	if dl[0].Attempts != 1 || !strings.Contains(dl[0].Error, "HTTP 500") {
		t.Fatalf("dead letter %+v", dl[0])
	}
	stop()
	<-done
}

// TestWebhookUnknownPosition: a stored position the stream never reached
// (a clock stepped back between restarts, a recreated NATS stream) is a
// gap dead letter, and delivery goes on with the live events.
func TestWebhookUnknownPosition(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	st := testenv.SQLiteStore(t)
	got := make(chan string, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- string(body)
	}))
	defer srv.Close()
	bus := events.NewBus()
	future := bus.Last() + 1000
	if err := st.SetCheckpoint(ctx, "webhook:h", adapters.Checkpoint(strconv.FormatUint(future, 10))); err != nil {
		t.Fatal(err)
	}
	wh := events.NewWebhooks(bus, st, []events.Webhook{{Name: "h", URL: srv.URL, Secret: []byte("s")}}, nil, nil)
	rctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { _ = wh.Run(rctx); close(done) }()
	defer func() { stop(); <-done }()
	want := "gap:" + strconv.FormatUint(future, 10) + "-"
	for {
		dl, err := st.DeadLetters(ctx, store.DeadLetterQuery{Kind: store.DeadLetterWebhook, Source: "h"})
		if err != nil {
			t.Fatal(err)
		}
		if len(dl) > 0 {
			if dl[0].Key != want || !strings.Contains(dl[0].Error, "unknown to this stream") {
				t.Fatalf("dead letter %+v, want key %s", dl[0], want)
			}
			break
		}
		select {
		case <-ctx.Done():
			t.Fatal("no dead letter for the unknown position")
		case <-time.After(10 * time.Millisecond):
		}
	}
	ev, _ := events.New(events.TypeConfirmed, events.Attrs{Subject: "live"}, events.RecordData{RecordID: "live"})
	if err := bus.Publish(ctx, ev); err != nil {
		t.Fatal(err)
	}
	select {
	case body := <-got:
		if !strings.Contains(body, `"subject":"live"`) {
			t.Fatalf("delivered %s", body)
		}
	case <-ctx.Done():
		t.Fatal("the live event was not delivered")
	}
}
