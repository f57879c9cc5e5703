package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cloudevents "github.com/cloudevents/sdk-go/v2"
	"github.com/gorilla/websocket"

	"github.com/ledgergate/ledgergate/gateway/auth"
	"github.com/ledgergate/ledgergate/gateway/events"
	"github.com/ledgergate/ledgergate/gateway/server"
	"github.com/ledgergate/ledgergate/internal/config"
	"github.com/ledgergate/ledgergate/internal/loadgen"
)

// Figures for docs/performance.md ("Live events over NATS JetStream");
// run with LEDGERGATE_BENCH=1 and NATS on 127.0.0.1:4222:
//
//	LEDGERGATE_BENCH=1 go test ./gateway/server -run 'TestBenchEvents' -v -count=1
func needEventsBench(t *testing.T) {
	if os.Getenv("LEDGERGATE_BENCH") == "" {
		t.Skip("set LEDGERGATE_BENCH=1 to measure")
	}
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

var benchPayload = json.RawMessage(`{"recordId":"urn:uuid:3f0c6a1e-8b1d-4c53-9a7e-2d5b8f9c1a02","digest":"sha256:00","type":"CertificateOfOrigin"}`)

func benchEvent(t testing.TB, i int) cloudevents.Event {
	t.Helper()
	ev, err := events.New(events.TypeConfirmed, events.Attrs{Partner: "p", RecordType: "CertificateOfOrigin", Subject: strconv.Itoa(i)}, benchPayload)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// latency publishes n events one at a time on pub and times each until
// the websocket client c (on another or the same gateway) has it.
func latency(t *testing.T, pub *server.Gateway, c *websocket.Conn, n int) loadgen.Stats {
	t.Helper()
	st, err := loadgen.Run(n, 1, func(i int) error {
		if err := pub.Events().Publish(context.Background(), benchEvent(t, i)); err != nil {
			return err
		}
		_ = c.SetReadDeadline(time.Now().Add(30 * time.Second))
		_, _, err := c.ReadMessage()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestBenchEventsLatency: publish → websocket client, in one gateway
// without NATS, and from instance A to a client of instance B through a
// shared JetStream stream.
func TestBenchEventsLatency(t *testing.T) {
	needEventsBench(t)
	const n = 2000
	key, hash := auth.NewKey()
	t.Logf("load average before: %s", loadavg())

	solo := eventsGateway(t, hash, config.Events{})
	c := dialEvents(t, solo, key, "type=org.ledgergate.record.*")
	latency(t, solo, c, 100) // warm-up
	st := latency(t, solo, c, n)
	t.Logf("publish -> websocket, one gateway, no NATS, n=%d: p50 %v p99 %v", n,
		st.Percentile(0.5).Round(time.Microsecond), st.Percentile(0.99).Round(time.Microsecond))

	ns := natsStream(t)
	a := eventsGateway(t, hash, config.Events{NATS: ns})
	b := eventsGateway(t, hash, config.Events{NATS: ns})
	cb := dialEvents(t, b, key, "type=org.ledgergate.record.*")
	latency(t, a, cb, 100)
	st = latency(t, a, cb, n)
	t.Logf("publish on A -> JetStream -> websocket client on B, n=%d: p50 %v p99 %v", n,
		st.Percentile(0.5).Round(time.Microsecond), st.Percentile(0.99).Round(time.Microsecond))
	t.Logf("load average after: %s", loadavg())
}

// fanout: total events published on pub by publishers goroutines (each
// waiting for its publish to return), read by each of clients websocket
// clients of sub; returns the publish stats, the wall time until every
// client had every event, and the sequence of the warm-up event before.
func fanout(t *testing.T, pub, sub *server.Gateway, key string, clients, total, publishers int) (loadgen.Stats, time.Duration, uint64) {
	t.Helper()
	conns := make([]*websocket.Conn, clients)
	for i := range conns {
		conns[i] = dialEvents(t, sub, key, "type=org.ledgergate.record.*")
	}
	// Every stream is subscribed once its first event arrives.
	if err := pub.Events().Publish(context.Background(), benchEvent(t, -1)); err != nil {
		t.Fatal(err)
	}
	var warm uint64
	for _, c := range conns {
		warm = readEvents(t, c, 1)[0].seq
	}
	var wg sync.WaitGroup
	start := time.Now()
	for _, c := range conns {
		wg.Go(func() {
			for range total {
				_ = c.SetReadDeadline(time.Now().Add(60 * time.Second))
				if _, _, err := c.NextReader(); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	pst, err := loadgen.Run(total, publishers, func(i int) error { return pub.Events().Publish(context.Background(), benchEvent(t, i)) })
	if err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	el := time.Since(start)
	for _, c := range conns {
		c.Close()
	}
	return pst, el, warm
}

// TestBenchEventsFanout: events published on a gateway (8 concurrent
// publishers) delivered to each of 100 websocket clients: within one
// gateway without NATS, and from instance A through JetStream to the
// clients of instance B (each publish waits for the stream's ack); then
// one client resuming 20 000 events back on a new instance, from the
// stream.
func TestBenchEventsFanout(t *testing.T) {
	needEventsBench(t)
	const clients, total, publishers, ring = 100, 20000, 8, 1000
	// The fan-out instances hold every event (as TestBenchFanout in
	// gateway/watch), so slow clients never fall behind the ring.
	fan := config.Events{RingSize: 100000}
	key, hash := auth.NewKey()
	t.Logf("load average before: %s", loadavg())

	solo := eventsGateway(t, hash, fan)
	pst, el, _ := fanout(t, solo, solo, key, clients, total, publishers)
	t.Logf("fan-out, one gateway, no NATS: %d events to each of %d websocket clients in %v: %.0f events/s to every client, %.0f deliveries/s in total (publish p50 %v)",
		total, clients, el.Round(time.Millisecond), float64(total)/el.Seconds(), float64(total*clients)/el.Seconds(), pst.Percentile(0.5).Round(time.Microsecond))

	ns := natsStream(t)
	fan.NATS = ns
	a := eventsGateway(t, hash, fan)
	b := eventsGateway(t, hash, fan)
	// Publishing alone (no websocket client), for comparison.
	pst, err := loadgen.Run(total, publishers, func(i int) error { return a.Events().Publish(context.Background(), benchEvent(t, i)) })
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("publish on A to JetStream, no websocket client (%d publishers): %.0f events/s, ack p50 %v p99 %v", publishers, pst.Rate(),
		pst.Percentile(0.5).Round(time.Microsecond), pst.Percentile(0.99).Round(time.Microsecond))

	pst, el, warm := fanout(t, a, b, key, clients, total, publishers)
	t.Logf("fan-out A -> JetStream -> B: %d events to each of %d websocket clients in %v: %.0f events/s to every client, %.0f deliveries/s in total (publish ack p50 %v p99 %v)",
		total, clients, el.Round(time.Millisecond), float64(total)/el.Seconds(), float64(total*clients)/el.Seconds(),
		pst.Percentile(0.5).Round(time.Microsecond), pst.Percentile(0.99).Round(time.Microsecond))

	// Resume on instance C, started now with a ring of 1000: every event
	// after the warm-up one again, all but the last 1000 from the stream.
	c := eventsGateway(t, hash, config.Events{NATS: ns, RingSize: ring})
	start := time.Now()
	r := dialEvents(t, c, key, "after="+strconv.FormatUint(warm, 10))
	for i := range total {
		_ = r.SetReadDeadline(time.Now().Add(60 * time.Second))
		_, msg, err := r.ReadMessage()
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 || i == total-1 {
			var ev wsEvent
			if err := json.Unmarshal(msg, &ev); err != nil || ev.Sequence != fmt.Sprint(warm+uint64(i)+1) {
				t.Fatalf("replayed event %d: %s (%v)", i, msg, err)
			}
		}
	}
	el = time.Since(start)
	t.Logf("resume %d events back on a new instance C (ring %d): from the stream, then C's ring, in %v: %.0f events/s",
		total, ring, el.Round(time.Millisecond), float64(total)/el.Seconds())
	t.Logf("load average after: %s", loadavg())
}
