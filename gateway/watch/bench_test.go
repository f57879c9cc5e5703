package watch_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/ledgergate/ledgergate/gateway/auth"
	"github.com/ledgergate/ledgergate/gateway/events"
	"github.com/ledgergate/ledgergate/internal/config"
)

// Figures for docs/performance.md; run with LEDGERGATE_BENCH=1:
//
//	LEDGERGATE_BENCH=1 go test ./gateway/watch -run 'TestBench' -v -count=1
func needBench(t *testing.T) {
	if os.Getenv("LEDGERGATE_BENCH") == "" {
		t.Skip("set LEDGERGATE_BENCH=1 to measure")
	}
}

func pct(ds []time.Duration, p float64) time.Duration {
	slices.Sort(ds)
	return ds[min(len(ds)-1, int(float64(len(ds))*p))]
}

// TestBenchLedgerToWebsocket: a partner contract event's latency to a
// websocket client, measured from the moment the event's block is sealed
// (seen by a 2 ms receipt poll), i.e. beyond the chain's block time.
func TestBenchLedgerToWebsocket(t *testing.T) {
	needBench(t)
	eth := startPartnerChain(t)
	fct := startPartnerFactom(t)
	cfg, k := gatewayConfig(t, t.TempDir(), eth, fct, "testdata/origin.jq")
	gw := run(t, cfg)
	ws := dialStream(t, gw.g.Addr(), k.officer, "type=org.ledgergate.record.observed&recordType=CertificateOfOrigin")
	const n = 100
	var lat []time.Duration
	for i := range n {
		tx := eth.certify(t, cert(byte(10+i), "090111"))
		var sealed time.Time
		for {
			if r, err := eth.chain.Client().TransactionReceipt(context.Background(), tx); err == nil && r != nil {
				sealed = time.Now()
				break
			}
			time.Sleep(2 * time.Millisecond)
		}
		readUntil(t, ws, 30*time.Second, func(e []streamed) bool { return len(e) == 1 })
		lat = append(lat, time.Since(sealed))
	}
	t.Logf("ledger event -> websocket, beyond the block time (block 200 ms, source poll 50 ms), n=%d: p50 %v p99 %v",
		n, pct(lat, 0.5).Round(100*time.Microsecond), pct(lat, 0.99).Round(100*time.Microsecond))
}

// TestBenchFanout: events/s delivered to 100 concurrent websocket clients.
func TestBenchFanout(t *testing.T) {
	needBench(t)
	key, h := auth.NewKey()
	cfg := &config.Config{Listen: "127.0.0.1:0", Store: config.Store{Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "gw.db")},
		Accounts: []auth.Account{{ID: "officer", Role: auth.RoleOfficer, APIKeyHashes: []string{h}}},
		Events:   config.Events{RingSize: 100000}, Log: config.Log{Level: "warn"}}
	gw := run(t, cfg)
	const clients, events_ = 100, 20000
	var wg sync.WaitGroup
	conns := make([]*websocket.Conn, clients)
	for i := range conns {
		conns[i] = dialStream(t, gw.g.Addr(), key, "type=org.ledgergate.record.*")
	}
	// Each stream is subscribed once its first event arrives.
	warm, _ := events.New(events.TypeAccepted, events.Attrs{}, map[string]int{"warm": 1})
	_ = gw.g.Events().Publish(context.Background(), warm)
	for _, c := range conns {
		readUntil(t, c, 30*time.Second, func(e []streamed) bool { return len(e) == 1 })
	}
	start := time.Now()
	for _, c := range conns {
		wg.Go(func() {
			for range events_ {
				_ = c.SetReadDeadline(time.Now().Add(60 * time.Second))
				if _, _, err := c.NextReader(); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	payload := json.RawMessage(`{"recordId":"urn:uuid:3f0c6a1e-8b1d-4c53-9a7e-2d5b8f9c1a02","digest":"sha256:00","type":"CertificateOfOrigin"}`)
	for i := range events_ {
		ev, _ := events.New(events.TypeConfirmed, events.Attrs{Partner: "p", RecordType: "CertificateOfOrigin", Subject: fmt.Sprint(i)}, payload)
		if err := gw.g.Events().Publish(context.Background(), ev); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	el := time.Since(start)
	t.Logf("fan-out: %d events to each of %d websocket clients in %v: %.0f events/s published, %.0f deliveries/s total",
		events_, clients, el.Round(time.Millisecond), float64(events_)/el.Seconds(), float64(events_*clients)/el.Seconds())
}
