package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	neturl "net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/gateway/auth"
	"github.com/ledgergate/ledgergate/gateway/routing"
	"github.com/ledgergate/ledgergate/gateway/server"
	"github.com/ledgergate/ledgergate/internal/config"
	"github.com/ledgergate/ledgergate/schema"
)

// startGatewayInProcess runs a gateway with one memory ledger and returns
// its URL and a partner key for issuer urn:gln:0614141000005.
func startGatewayInProcess(t *testing.T) (url, partnerKey, officerKey string) {
	t.Helper()
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close()
	pk, ph := auth.NewKey()
	ok, oh := auth.NewKey()
	cfg := &config.Config{
		Listen:  addr,
		Store:   config.Store{Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "lg.db")},
		Ledgers: []config.Ledger{{Name: "archive", Kind: "memory"}},
		Routes:  []routing.Route{{Name: "all", Targets: []routing.Target{{Ledger: "archive", Disclosure: adapters.DisclosureFull}}}},
		Accounts: []auth.Account{
			{ID: "sensor-co", Role: auth.RolePartner, Issuer: "urn:gln:0614141000005", APIKeyHashes: []string{ph}},
			{ID: "officer", Role: auth.RoleOfficer, APIKeyHashes: []string{oh}},
		},
		Log: config.Log{Level: "error"},
	}
	g, err := server.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- g.Run(ctx) }()
	<-g.Started()
	t.Cleanup(func() { cancel(); <-done })
	return "http://" + g.Addr(), pk, ok
}

func TestClientCommands(t *testing.T) {
	url, partnerKey, officerKey := startGatewayInProcess(t)
	dir := t.TempDir()
	good, _ := schema.ExampleOf(schema.TypeSensorReading, "minimal")
	goodPath := writeFile(t, dir, "reading.json", string(good))
	badPath := writeFile(t, dir, "bad.json", strings.Replace(string(good), `"temperature"`, `"sonar"`, 1))
	otherIssuer, _ := schema.ExampleOf(schema.TypeAssetEvent, "minimal")
	otherPath := writeFile(t, dir, "asset.json", string(otherIssuer))

	as := func(key string, args ...string) (int, string, string) {
		return runCLI(t, "", append([]string{"--url", url, "--api-key", key}, args...)...)
	}
	code, out, errOut := as(partnerKey, "submit", goodPath)
	if code != 0 || !strings.Contains(out, "accepted urn:uuid:0a1b2c3d-4e5f-4061-8728-394a5b6c7d02") || !strings.Contains(out, "-> archive") {
		t.Fatalf("submit: %d\n%s%s", code, out, errOut)
	}
	if code, out, _ := as(partnerKey, "submit", goodPath); code != 0 || !strings.Contains(out, "already stored") {
		t.Fatalf("resubmit: %d %s", code, out)
	}
	code, _, errOut = as(partnerKey, "submit", badPath, otherPath)
	if code != 1 || !strings.Contains(errOut, "/sensorType") || !strings.Contains(errOut, "[sensor.type]") || !strings.Contains(errOut, "403 Forbidden issuer") {
		t.Fatalf("bad submissions: %d\n%s", code, errOut)
	}
	// Several files go as batches; each keeps its own outcome, and an input
	// that is not JSON at all is sent alone.
	var more []string
	for i := range 3 {
		more = append(more, writeFile(t, dir, fmt.Sprintf("more-%d.json", i), strings.Replace(string(good), "394a5b6c7d02", fmt.Sprintf("394a5b6c7e%02d", i), 1)))
	}
	garbage := writeFile(t, dir, "garbage.json", "not json")
	code, out, errOut = as(partnerKey, append([]string{"submit", "--batch", "2", badPath, garbage}, more...)...)
	if code != 1 || strings.Count(out, ": accepted urn:uuid:0a1b2c3d-4e5f-4061-8728-394a5b6c7e0") != 3 ||
		!strings.Contains(errOut, "bad.json: 422") || !strings.Contains(errOut, "garbage.json: 400 Malformed JSON") {
		t.Fatalf("batched submissions: %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := as(partnerKey, "submit", "--batch", "0", goodPath); code != 2 || !strings.Contains(errOut, "--batch") {
		t.Fatalf("--batch 0: %d %s", code, errOut)
	}
	code, out, _ = as(officerKey, "get", "urn:uuid:0a1b2c3d-4e5f-4061-8728-394a5b6c7d02")
	if code != 0 || !strings.Contains(out, "SensorReading") || !strings.Contains(out, "archive") || !strings.Contains(out, "(current)") {
		t.Fatalf("get: %d\n%s", code, out)
	}
	code, out, _ = as(officerKey, "get", "--audit", "urn:uuid:0a1b2c3d-4e5f-4061-8728-394a5b6c7d02")
	// The actor column is as wide as its widest entry: the relay's, once it
	// has delivered the record.
	if code != 0 || !strings.Contains(out, "audit (oldest first):") || !regexp.MustCompile(`sensor-co +record\.accepted`).MatchString(out) {
		t.Fatalf("get --audit: %d\n%s", code, out)
	}
	code, out, _ = as(officerKey, "get", "--json", "urn:uuid:0a1b2c3d-4e5f-4061-8728-394a5b6c7d02")
	var v map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil || v["digest"] == nil {
		t.Fatalf("get --json: %d\n%s", code, out)
	}
	if code, _, errOut := as(officerKey, "get", "urn:uuid:00000000-0000-4000-8000-000000000000"); code != 1 || !strings.Contains(errOut, "404") {
		t.Fatalf("get unknown: %d %s", code, errOut)
	}
	code, out, _ = as(officerKey, "list", "--type", "SensorReading")
	if code != 0 || !strings.Contains(out, "urn:uuid:0a1b2c3d-4e5f-4061-8728-394a5b6c7d02") {
		t.Fatalf("list: %d\n%s", code, out)
	}
	if code, _, errOut := as(officerKey, "list", "--status", "lost"); code != 1 || !strings.Contains(errOut, "Invalid query") {
		t.Fatalf("list bad filter: %d %s", code, errOut)
	}
	if code, _, errOut := as("lgk_wrong", "list"); code != 2 || !strings.Contains(errOut, "401") {
		t.Fatalf("wrong key: %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "", "--url", "http://127.0.0.1:1", "--api-key", "k", "list"); code != 2 || !strings.Contains(errOut, "gateway at") {
		t.Fatalf("unreachable gateway: %d %s", code, errOut)
	}
}

// A gateway that answers 503 overloaded with Retry-After has accepted
// nothing; the client waits and sends the same request again. Here a
// proxy answers the first submission that way, as an overloaded gateway
// does, and passes everything else to the real one.
func TestClientSendsAgainAfterOverloaded(t *testing.T) {
	url, partnerKey, officerKey := startGatewayInProcess(t)
	target, _ := neturl.Parse(url)
	proxy := httputil.NewSingleHostReverseProxy(target)
	var submits atomic.Int32
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" && submits.Add(1) == 1 {
			w.Header().Set("Content-Type", "application/problem+json")
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, `{"type":"https://ledgergate.org/problems/overloaded","title":"Gateway overloaded","status":503}`)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	defer front.Close()

	good, _ := schema.ExampleOf(schema.TypeSensorReading, "minimal")
	path := writeFile(t, t.TempDir(), "reading.json", string(good))
	code, out, errOut := runCLI(t, "", "--url", front.URL, "--api-key", partnerKey, "submit", "--json", path)
	if code != 0 {
		t.Fatalf("submit through an overloaded gateway: exit %d\n%s%s", code, out, errOut)
	}
	if n := submits.Load(); n != 2 {
		t.Fatalf("the client sent %d submissions, want 2 (the refused one and once more)", n)
	}
	var rec struct{ ID string }
	_ = json.Unmarshal(good, &rec)
	if code, out, errOut := runCLI(t, "", "--url", url, "--api-key", officerKey, "get", "--json", rec.ID); code != 0 {
		t.Fatalf("the record is not on the gateway after the retry: exit %d\n%s%s", code, out, errOut)
	}
}
