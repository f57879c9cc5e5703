package events

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/internal/testenv"
)

// TestWebhookInstancesDeliverOnce: two gateway instances that see the same
// events (as over NATS) and share a store deliver each event to a webhook
// once; when the delivering instance stops, the other takes over from the
// stored position.
func TestWebhookInstancesDeliverOnce(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	st := testenv.SQLiteStore(t)
	var mu sync.Mutex
	got := map[string]int{}
	arrived := make(chan struct{}, 1000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var ev struct {
			Subject string `json:"subject"`
		}
		_ = json.Unmarshal(body, &ev)
		mu.Lock()
		got[ev.Subject]++
		mu.Unlock()
		arrived <- struct{}{}
	}))
	defer srv.Close()

	bus := NewBus() // both instances read the same events, as from one stream
	if err := st.SetCheckpoint(ctx, "webhook:siem", adapters.Checkpoint(strconv.FormatUint(bus.Last(), 10))); err != nil {
		t.Fatal(err)
	}
	start := func() (*Webhooks, context.CancelFunc, chan struct{}) {
		w := NewWebhooks(bus, st, []Webhook{{Name: "siem", URL: srv.URL, Secret: []byte("s")}}, nil, nil)
		w.ttl = 300 * time.Millisecond
		rctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { _ = w.Run(rctx); close(done) }()
		return w, stop, done
	}
	publish := func(from, to int) {
		for i := from; i < to; i++ {
			ev, err := New(TypeConfirmed, Attrs{Subject: "r" + strconv.Itoa(i)}, RecordData{RecordID: "r" + strconv.Itoa(i)})
			if err != nil {
				t.Fatal(err)
			}
			if err := bus.Publish(ctx, ev); err != nil {
				t.Fatal(err)
			}
		}
	}
	wait := func(n int) {
		for range n {
			select {
			case <-arrived:
			case <-ctx.Done():
				t.Fatal("webhook deliveries stopped")
			}
		}
	}
	_, stopA, doneA := start()
	_, stopB, doneB := start()
	defer func() { stopB(); <-doneB }()
	publish(0, 20)
	wait(20)
	stopA() // whichever held the lease, or not: the other goes on
	<-doneA
	publish(20, 40)
	wait(20)
	time.Sleep(200 * time.Millisecond) // room for a duplicate to show
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 40 {
		t.Fatalf("%d distinct events delivered, want 40", len(got))
	}
	for subject, n := range got {
		if n != 1 {
			t.Fatalf("event %s delivered %d times", subject, n)
		}
	}
}
