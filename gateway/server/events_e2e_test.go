package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/gorilla/websocket"
	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/gateway/api"
	"github.com/ledgergate/ledgergate/gateway/auth"
	"github.com/ledgergate/ledgergate/gateway/events"
	"github.com/ledgergate/ledgergate/gateway/routing"
	"github.com/ledgergate/ledgergate/internal/config"
	"github.com/ledgergate/ledgergate/schema"
)

// TestRecordLifecycleEventsOverWebsocket follows one record through a
// running gateway on /v1/stream: accepted, then each ledger's submitted
// and confirmed, in sequence order; and a client that reconnects with
// after=<sequence> gets exactly the events that followed.
func TestRecordLifecycleEventsOverWebsocket(t *testing.T) {
	key, hash := auth.NewKey()
	cfg := &config.Config{
		Listen:  freeAddr(t),
		Store:   config.Store{Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "lg.db")},
		Ledgers: []config.Ledger{{Name: "a", Kind: "memory"}, {Name: "b", Kind: "memory"}},
		Routes: []routing.Route{{Name: "all", Targets: []routing.Target{
			{Ledger: "a", Disclosure: adapters.DisclosureFull}, {Ledger: "b", Disclosure: adapters.DisclosureDigest}}}},
		Accounts: []auth.Account{{ID: "ops", Role: auth.RoleAdmin, APIKeyHashes: []string{hash}}},
		Log:      config.Log{Level: "error"},
	}
	g := runGateway(t, cfg)

	dial := func(query string) *websocket.Conn {
		h := http.Header{"Authorization": {"Bearer " + key}}
		c, _, err := websocket.DefaultDialer.Dial("ws://"+g.Addr()+"/v1/stream?recordType=SensorReading"+query, h)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	c := dial("")
	defer c.Close()

	body, _ := schema.ExampleOf(schema.TypeSensorReading, "minimal")
	req, _ := http.NewRequest("POST", "http://"+g.Addr()+"/v1/records", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 202 {
		t.Fatalf("submit: %v %v", res, err)
	}
	res.Body.Close()

	// accepted + (submitted, confirmed) for each of the two ledgers.
	evs := readEvents(t, c, 5)
	count := map[string]int{}
	var last uint64
	for i, ev := range evs {
		count[ev.Type+"/"+ev.Ledger]++
		seq, err := strconv.ParseUint(ev.Sequence, 10, 64)
		if err != nil || seq <= last {
			t.Fatalf("event %d: sequence %q not increasing (previous %d)", i, ev.Sequence, last)
		}
		last = seq
		if ev.RecordType != schema.TypeSensorReading {
			t.Fatalf("event %d: record type %q", i, ev.RecordType)
		}
	}
	if evs[0].Type != events.TypeAccepted {
		t.Fatalf("first event %s, want %s", evs[0].Type, events.TypeAccepted)
	}
	for _, want := range []string{events.TypeSubmitted + "/a", events.TypeConfirmed + "/a", events.TypeSubmitted + "/b", events.TypeConfirmed + "/b"} {
		if count[want] != 1 {
			t.Fatalf("events %v: want one %s", count, want)
		}
	}

	// The record's audit trail tells the same story.
	id := evs[0].Subject
	areq, _ := http.NewRequest("GET", "http://"+g.Addr()+"/v1/records/"+id+"/audit", nil)
	areq.Header.Set("Authorization", "Bearer "+key)
	ares, err := http.DefaultClient.Do(areq)
	if err != nil {
		t.Fatal(err)
	}
	var audit api.AuditView
	err = json.NewDecoder(ares.Body).Decode(&audit)
	ares.Body.Close()
	if err != nil || ares.StatusCode != 200 {
		t.Fatalf("audit: %d %v", ares.StatusCode, err)
	}
	digest := string(mustDigest(t, body))
	actions := map[string]int{}
	for _, e := range audit.Items {
		actions[e.Action+" "+e.Detail]++
	}
	for _, want := range []string{"record.accepted " + digest, "delivery.submitted a " + digest, "delivery.confirmed a " + digest,
		"delivery.submitted b " + digest, "delivery.confirmed b " + digest} {
		if actions[want] != 1 {
			t.Fatalf("audit trail lacks %q: %+v", want, audit.Items)
		}
	}

	// Reconnect after the first event: the other four come again, in order.
	c2 := dial("&after=" + evs[0].Sequence)
	defer c2.Close()
	again := readEvents(t, c2, 4)
	for i := range again {
		if again[i].Sequence != evs[i+1].Sequence || again[i].Type != evs[i+1].Type {
			t.Fatalf("resumed event %d = %+v, want %+v", i, again[i], evs[i+1])
		}
	}
}

func mustDigest(t *testing.T, body []byte) schema.Digest {
	t.Helper()
	rec, err := schema.Default().Validate(body)
	if err != nil {
		t.Fatal(err)
	}
	return rec.Digest
}
