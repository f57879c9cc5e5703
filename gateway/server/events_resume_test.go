package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/ledgergate/ledgergate/gateway/api"
	"github.com/ledgergate/ledgergate/gateway/auth"
	"github.com/ledgergate/ledgergate/gateway/events"
	"github.com/ledgergate/ledgergate/gateway/server"
	"github.com/ledgergate/ledgergate/internal/config"
	"github.com/ledgergate/ledgergate/internal/testenv"
)

// natsStream returns a JetStream stream and subject of the test's own
// (parallel packages share the server), deleted when the test ends.
func natsStream(t testing.TB) *config.NATS {
	t.Helper()
	url, stream, subject := testenv.NATSStream(t, "SRV")
	return &config.NATS{URL: url, Stream: stream, Subject: subject}
}

// eventsGateway runs a gateway with no ledgers, only the event machinery,
// until the test ends.
func eventsGateway(t testing.TB, hash string, ev config.Events) *server.Gateway {
	t.Helper()
	cfg := &config.Config{
		Listen:   "127.0.0.1:0",
		Store:    config.Store{Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "lg.db")},
		Accounts: []auth.Account{{ID: "ops", Role: auth.RoleAdmin, APIKeyHashes: []string{hash}}},
		Events:   ev,
		Log:      config.Log{Level: "error"},
	}
	return runGateway(t, cfg)
}

func dialEvents(t testing.TB, g *server.Gateway, key, query string) *websocket.Conn {
	t.Helper()
	c, _, err := websocket.DefaultDialer.Dial("ws://"+g.Addr()+"/v1/stream?"+query, http.Header{"Authorization": {"Bearer " + key}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// publishOn publishes accepted events with subjects prefix0, prefix1, ...
func publishOn(t testing.TB, g *server.Gateway, prefix string, n int) {
	t.Helper()
	for i := range n {
		id := fmt.Sprint(prefix, i)
		ev, err := events.New(events.TypeAccepted, events.Attrs{Partner: "p", RecordType: "T", Subject: id}, events.RecordData{RecordID: id})
		if err != nil {
			t.Fatal(err)
		}
		if err := g.Events().Publish(context.Background(), ev); err != nil {
			t.Fatal(err)
		}
	}
}

// wsEvent is a CloudEvent as /v1/stream sends it.
type wsEvent struct {
	Type       string          `json:"type"`
	Subject    string          `json:"subject"`
	Sequence   string          `json:"sequence"`
	RecordType string          `json:"recordtype"`
	Ledger     string          `json:"ledger"`
	Data       json.RawMessage `json:"data"`
	seq        uint64
}

func readEvents(t testing.TB, c *websocket.Conn, n int) []wsEvent {
	t.Helper()
	var out []wsEvent
	for len(out) < n {
		_ = c.SetReadDeadline(time.Now().Add(30 * time.Second))
		_, msg, err := c.ReadMessage()
		if err != nil {
			t.Fatalf("after %d events: %v", len(out), err)
		}
		var ev wsEvent
		if err := json.Unmarshal(msg, &ev); err != nil {
			t.Fatal(err)
		}
		if ev.seq, err = strconv.ParseUint(ev.Sequence, 10, 64); err != nil {
			t.Fatalf("event %s: sequence: %v", msg, err)
		}
		out = append(out, ev)
	}
	return out
}

// checkEvents fails unless evs are the events prefix0.. with sequences
// from, from+1, ...
func checkEvents(t testing.TB, evs []wsEvent, prefix string, from uint64) {
	t.Helper()
	for i, ev := range evs {
		if ev.Type != events.TypeAccepted || ev.Subject != fmt.Sprint(prefix, i) || ev.seq != from+uint64(i) {
			t.Fatalf("event %d: %s %s sequence %d, want %s%d sequence %d", i, ev.Type, ev.Subject, ev.seq, prefix, i, from+uint64(i))
		}
	}
}

// TestStreamResumeOnAnotherInstance: two gateway instances share one
// JetStream stream. A websocket client reads from instance A, disconnects;
// instance B publishes events meanwhile (more than B's replay ring holds);
// the client reconnects to B with after=<last sequence seen> and gets
// exactly the missed events, in order, then live ones from either
// instance.
func TestStreamResumeOnAnotherInstance(t *testing.T) {
	key, hash := auth.NewKey()
	ns := natsStream(t)
	a := eventsGateway(t, hash, config.Events{NATS: ns})
	b := eventsGateway(t, hash, config.Events{NATS: ns, RingSize: 4})

	c := dialEvents(t, a, key, "recordType=T")
	publishOn(t, a, "first-", 3)
	seen := readEvents(t, c, 3)
	checkEvents(t, seen, "first-", seen[0].seq)
	last := seen[2].seq
	_ = c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	c.Close()

	publishOn(t, b, "missed-", 10)
	c2 := dialEvents(t, b, key, "recordType=T&after="+strconv.FormatUint(last, 10))
	checkEvents(t, readEvents(t, c2, 10), "missed-", last+1)
	publishOn(t, a, "live-", 3)
	checkEvents(t, readEvents(t, c2, 3), "live-", last+11)
}

// TestStreamTooOldAndUnknown (no NATS): a resume from before the replay
// ring gets one org.ledgergate.stream.gap event naming the sequences it
// missed, then the oldest held events; a resume from a sequence this
// gateway never reached is closed with code 4409.
func TestStreamTooOldAndUnknown(t *testing.T) {
	key, hash := auth.NewKey()
	g := eventsGateway(t, hash, config.Events{RingSize: 4})
	c := dialEvents(t, g, key, "")
	publishOn(t, g, "e", 1)
	last := readEvents(t, c, 1)[0].seq
	publishOn(t, g, "f", 10) // the ring keeps f6..f9

	c2 := dialEvents(t, g, key, "after="+strconv.FormatUint(last, 10))
	evs := readEvents(t, c2, 5)
	var gap events.Gap
	if evs[0].Type != events.TypeStreamGap || json.Unmarshal(evs[0].Data, &gap) != nil ||
		gap != (events.Gap{From: last + 1, To: last + 6}) || evs[0].seq != last+6 {
		t.Fatalf("first event %+v (data %s), want a gap %d..%d", evs[0], evs[0].Data, last+1, last+6)
	}
	for i, ev := range evs[1:] {
		if ev.Subject != fmt.Sprint("f", 6+i) || ev.seq != last+7+uint64(i) {
			t.Fatalf("after the gap, event %d: %s sequence %d", i, ev.Subject, ev.seq)
		}
	}

	c3 := dialEvents(t, g, key, "after="+strconv.FormatUint(last+1000, 10))
	_ = c3.SetReadDeadline(time.Now().Add(30 * time.Second))
	_, msg, err := c3.ReadMessage()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != api.CloseUnknownSequence {
		t.Fatalf("resume from an unknown sequence: message %s, err %v; want close code %d", msg, err, api.CloseUnknownSequence)
	}
}
