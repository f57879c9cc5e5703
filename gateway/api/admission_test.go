package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/gateway/api"
	"github.com/ledgergate/ledgergate/gateway/ingest"
	"github.com/ledgergate/ledgergate/gateway/routing"
	"github.com/ledgergate/ledgergate/gateway/store"
)

// gatedStore holds every Accept until open is closed, and reports each
// one as it arrives on entered.
type gatedStore struct {
	store.Store
	entered chan string
	open    chan struct{}
}

func (g *gatedStore) Accept(ctx context.Context, v store.Version, d []store.NewDelivery, a store.AuditEntry) (store.AcceptResult, error) {
	g.entered <- v.RecordID
	<-g.open
	return g.Store.Accept(ctx, v, d, a)
}

// With two records' room (maxRecordsInFlight) taken by submissions the
// store holds, a third record and a batch are refused 503 overloaded with
// Retry-After once the admission wait is over, accepting nothing; once
// the store moves, the held submissions are accepted, the room is given
// back, and the refused ones go through when sent again (a batch larger
// than the whole room waits for all of it).
func TestOverloadIsRefusedWithRetryAfter(t *testing.T) {
	gate := &gatedStore{entered: make(chan string, 16), open: make(chan struct{})}
	f := newFixtureWith(t, func(c *api.Config, st store.Store, router *routing.Router) {
		gate.Store = st
		c.Ingest = ingest.New(c.Registry, gate, router)
		c.MaxRecordsInFlight, c.AdmissionWait = 2, 100*time.Millisecond
	})
	held := make(chan resp, 2)
	for range 2 {
		body := sensor(t)
		go func() { held <- f.do(t, partnerA, "POST", "/v1/records", body, nil) }()
	}
	for range 2 {
		select {
		case <-gate.entered:
		case <-time.After(30 * time.Second):
			t.Fatal("the first two submissions did not reach the store")
		}
	}
	if m := f.do(t, "", "GET", "/metrics", nil, nil); !strings.Contains(string(m.body), "ledgergate_records_in_flight 2") {
		t.Errorf("metrics do not show the two records in flight:\n%s", m.body)
	}

	third := sensor(t)
	batch := []byte("[" + string(sensor(t)) + "," + string(sensor(t)) + "," + string(sensor(t)) + "]")
	for _, c := range []struct {
		path string
		body []byte
	}{{"/v1/records", third}, {"/v1/records:batch", batch}} {
		answered := make(chan resp, 1)
		go func() { answered <- f.do(t, partnerA, "POST", c.path, c.body, nil) }()
		var r resp
		select {
		case r = <-answered:
		case id := <-gate.entered:
			close(gate.open) // let the test end
			t.Fatalf("POST %s with no room reached the store (record %s) instead of being refused", c.path, id)
		}
		var pr struct{ Type, Detail string }
		r.json(t, &pr)
		if r.code != http.StatusServiceUnavailable || pr.Type != "https://ledgergate.org/problems/overloaded" || r.hdr.Get("Retry-After") != "1" {
			t.Fatalf("POST %s with no room = %d %s (Retry-After %q); want 503 overloaded with Retry-After 1", c.path, r.code, r.body, r.hdr.Get("Retry-After"))
		}
		if !strings.Contains(pr.Detail, "maxRecordsInFlight") {
			t.Errorf("the problem does not name the limit: %s", pr.Detail)
		}
	}
	close(gate.open)
	for range 2 {
		if r := <-held; r.code != http.StatusAccepted {
			t.Fatalf("a held submission = %d %s, want 202", r.code, r.body)
		}
	}
	if r := f.do(t, partnerA, "POST", "/v1/records", third, nil); r.code != http.StatusAccepted {
		t.Fatalf("the refused record sent again = %d %s, want 202", r.code, r.body)
	}
	r := f.do(t, partnerA, "POST", "/v1/records:batch", batch, nil)
	var out api.BatchView
	r.json(t, &out)
	if r.code != http.StatusOK || out.Accepted != 3 {
		t.Fatalf("the refused batch sent again = %d %s, want 3 accepted", r.code, r.body)
	}
	var list struct{ Items []json.RawMessage }
	f.do(t, officer, "GET", "/v1/records?limit=100", nil, nil).json(t, &list)
	if len(list.Items) != 6 {
		t.Fatalf("the store holds %d records, want 6 (two held, one single and a batch of three sent again)", len(list.Items))
	}
	if m := f.do(t, "", "GET", "/metrics", nil, nil); !strings.Contains(string(m.body), "ledgergate_records_in_flight 0") {
		t.Errorf("metrics do not show the room given back:\n%s", m.body)
	}
}

// Request bodies take room before they are read: while one body is still
// arriving, another that would pass maxBodyBytesInFlight is refused 503
// overloaded, having accepted nothing, and goes through once the first is
// answered.
func TestBodiesAreAdmittedBeforeTheyAreRead(t *testing.T) {
	first, second := sensor(t), sensor(t)
	f := newFixtureWith(t, func(c *api.Config, st store.Store, router *routing.Router) {
		c.MaxBodyBytesInFlight = int64(len(first) + len(second) - 1)
		c.AdmissionWait = 100 * time.Millisecond
	})
	// The first body arrives in two parts, the second when the test says.
	pr, pw := io.Pipe()
	t.Cleanup(func() { pw.CloseWithError(errors.New("test over")) }) // before the server closes
	req, _ := http.NewRequest("POST", f.srv.URL+"/v1/records", pr)
	req.ContentLength = int64(len(first))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+keys[partnerA])
	answered := make(chan int, 1)
	go func() {
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			answered <- 0
			return
		}
		res.Body.Close()
		answered <- res.StatusCode
	}()
	if _, err := pw.Write(first[:len(first)/2]); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("ledgergate_body_bytes_in_flight %d", len(first))
	deadline := time.Now().Add(10 * time.Second)
	for m := f.do(t, "", "GET", "/metrics", nil, nil); !strings.Contains(string(m.body), want); m = f.do(t, "", "GET", "/metrics", nil, nil) {
		if time.Now().After(deadline) {
			t.Fatalf("the metrics never showed the first body in flight (%s)", want)
		}
		time.Sleep(10 * time.Millisecond)
	}
	r := f.do(t, partnerA, "POST", "/v1/records", second, nil)
	var p struct{ Type, Detail string }
	r.json(t, &p)
	if r.code != http.StatusServiceUnavailable || p.Type != "https://ledgergate.org/problems/overloaded" || r.hdr.Get("Retry-After") != "1" || !strings.Contains(p.Detail, "maxBodyBytesInFlight") {
		t.Fatalf("a body with no room = %d %s (Retry-After %q); want 503 overloaded naming maxBodyBytesInFlight", r.code, r.body, r.hdr.Get("Retry-After"))
	}
	if _, err := pw.Write(first[len(first)/2:]); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	if code := <-answered; code != http.StatusAccepted {
		t.Fatalf("the first record = %d, want 202", code)
	}
	f.submit(t, partnerA, second) // room again: 202
}
