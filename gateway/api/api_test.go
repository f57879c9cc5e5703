package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ledgergate/ledgergate"
	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/memory"
	"github.com/ledgergate/ledgergate/conformance"
	"github.com/ledgergate/ledgergate/gateway/api"
	"github.com/ledgergate/ledgergate/gateway/auth"
	"github.com/ledgergate/ledgergate/gateway/ingest"
	"github.com/ledgergate/ledgergate/gateway/routing"
	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/internal/testenv"
	"github.com/ledgergate/ledgergate/schema"
)

// Test accounts and their keys.
var keys = map[string]string{}

const (
	partnerA = "sensor-co" // issuer urn:gln:0614141000005 (the sensor example's)
	partnerB = "north-steel"
	officer  = "cbp-officer"
	admin    = "ops-admin"
)

type fixture struct {
	srv  *httptest.Server
	api  *api.Server
	spec *spec
	st   interface{ Close() error }
}

func newFixture(t *testing.T) *fixture { return newFixtureWith(t, nil) }

// newFixtureWith is newFixture with the server's configuration changed by
// edit, which also gets the store and the router.
func newFixtureWith(t *testing.T, edit func(c *api.Config, st store.Store, router *routing.Router)) *fixture {
	t.Helper()
	st := testenv.SQLiteStore(t)
	reg := schema.Default()
	router, err := routing.New([]routing.Route{{Name: "all", Targets: []routing.Target{
		{Ledger: "chain-a", Disclosure: adapters.DisclosureDigest}, {Ledger: "chain-b", Disclosure: adapters.DisclosureFull},
	}}}, []string{"chain-a", "chain-b"})
	if err != nil {
		t.Fatal(err)
	}
	authn := testAccounts(t)
	cfg := api.Config{
		Registry: reg, Store: st, Ingest: ingest.New(reg, st, router), Auth: authn, OpenAPI: ledgergate.OpenAPI,
		Ledgers: []api.Ledger{{Name: "chain-a", Kind: "memory", Adapter: memory.New(memory.NewLedger())}, {Name: "chain-b", Kind: "memory", Adapter: memory.New(memory.NewLedger())}},
	}
	if edit != nil {
		edit(&cfg, st, router)
	}
	s := api.New(cfg)
	f := &fixture{srv: httptest.NewServer(s), api: s, spec: loadSpec(t), st: st}
	t.Cleanup(f.srv.Close)
	return f
}

// testAccounts gives the four test accounts fresh keys (recorded in keys).
func testAccounts(t *testing.T) *auth.Authenticator {
	t.Helper()
	var accounts []auth.Account
	for _, a := range []auth.Account{
		{ID: partnerA, Role: auth.RolePartner, Issuer: "urn:gln:0614141000005"},
		{ID: partnerB, Role: auth.RolePartner, Issuer: "did:web:northsteel.example"},
		{ID: officer, Role: auth.RoleOfficer},
		{ID: admin, Role: auth.RoleAdmin},
	} {
		key, hash := auth.NewKey()
		keys[a.ID] = key
		a.APIKeyHashes = []string{hash}
		accounts = append(accounts, a)
	}
	authn, err := auth.New(accounts)
	if err != nil {
		t.Fatal(err)
	}
	return authn
}

type resp struct {
	code int
	ct   string
	body []byte
	hdr  http.Header
}

func (r resp) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, r.body)
	}
}

// do sends a request as account who ("" = anonymous) and checks the
// response against the OpenAPI spec.
func (f *fixture) do(t *testing.T, who, method, path string, body []byte, hdr map[string]string) resp {
	t.Helper()
	req, _ := http.NewRequest(method, f.srv.URL+path, bytes.NewReader(body))
	if body != nil && hdr["Content-Type"] == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+keys[who])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r := resp{code: res.StatusCode, ct: res.Header.Get("Content-Type"), body: b, hdr: res.Header}
	f.spec.check(t, method, path, r)
	return r
}

// submit posts a new record as who, requires 202 Accepted and returns the
// response with its decoded body.
func (f *fixture) submit(t *testing.T, who string, body []byte) (resp, api.AcceptedView) {
	t.Helper()
	r := f.do(t, who, "POST", "/v1/records", body, nil)
	if r.code != http.StatusAccepted {
		t.Fatalf("POST = %d %s", r.code, r.body)
	}
	var acc api.AcceptedView
	r.json(t, &acc)
	return r, acc
}

// record returns a valid record of the given example with a fresh id.
func record(t *testing.T, typ string, edit func(map[string]any)) []byte {
	t.Helper()
	b, err := schema.ExampleOf(typ, "minimal")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	_ = json.Unmarshal(b, &doc)
	doc["id"] = conformance.NewRecordID()
	if edit != nil {
		edit(doc)
	}
	out, _ := json.Marshal(doc)
	return out
}

func sensor(t *testing.T) []byte { return record(t, schema.TypeSensorReading, nil) }

func TestSubmitAndRead(t *testing.T) {
	f := newFixture(t)
	body := sensor(t)
	r, acc := f.submit(t, partnerA, body)
	if acc.Status != api.StatusAccepted || acc.Existing || r.hdr.Get("Location") != acc.StatusURL || len(acc.Ledgers) != 2 {
		t.Fatalf("accepted = %+v", acc)
	}
	rec, _ := schema.Default().Validate(body)
	if acc.Digest != rec.Digest {
		t.Fatalf("digest %s, want %s", acc.Digest, rec.Digest)
	}
	// Again: 200, nothing new.
	r = f.do(t, partnerA, "POST", "/v1/records", body, nil)
	if r.code != http.StatusOK {
		t.Fatalf("repeat POST = %d %s", r.code, r.body)
	}
	r.json(t, &acc)
	if !acc.Existing {
		t.Fatalf("repeat = %+v", acc)
	}
	// Read it back.
	r = f.do(t, partnerA, "GET", acc.StatusURL, nil, nil)
	var view api.RecordView
	r.json(t, &view)
	if r.code != 200 || view.Digest != rec.Digest || view.Public || string(view.Record) != string(rec.Canonical) || len(view.Ledgers) != 2 || len(view.History) != 1 || view.Status != api.StatusAccepted {
		t.Fatalf("GET = %d %+v", r.code, view)
	}
	// Another partner sees the public view only.
	r = f.do(t, partnerB, "GET", acc.StatusURL, nil, nil)
	view = api.RecordView{}
	r.json(t, &view)
	if r.code != 200 || !view.Public || view.Record != nil || view.Digest != rec.Digest {
		t.Fatalf("other partner's view: %d %+v", r.code, view)
	}
	// A new version supersedes the current one.
	var doc map[string]any
	_ = json.Unmarshal(body, &doc)
	doc["value"] = "-17.0"
	conflict, _ := json.Marshal(doc)
	r = f.do(t, partnerA, "POST", "/v1/records", conflict, nil)
	if r.code != http.StatusConflict || !strings.Contains(string(r.body), "supersedes") {
		t.Fatalf("conflicting version = %d %s", r.code, r.body)
	}
	doc["supersedes"] = string(rec.Digest)
	v2, _ := json.Marshal(doc)
	if r = f.do(t, partnerA, "POST", "/v1/records", v2, nil); r.code != http.StatusAccepted {
		t.Fatalf("superseding version = %d %s", r.code, r.body)
	}
	r = f.do(t, officer, "GET", acc.StatusURL, nil, nil)
	view = api.RecordView{}
	r.json(t, &view)
	if len(view.History) != 2 || view.Supersedes != rec.Digest || !view.History[1].Current {
		t.Fatalf("history after new version: %+v", view)
	}
	if r = f.do(t, officer, "GET", "/v1/records/"+conformance.NewRecordID(), nil, nil); r.code != 404 {
		t.Fatalf("unknown record = %d", r.code)
	}
}

func TestBadInput(t *testing.T) {
	f := newFixture(t)
	invalid := record(t, schema.TypeSensorReading, func(d map[string]any) { d["sensorType"] = "sonar"; delete(d, "observedAt") })
	r := f.do(t, partnerA, "POST", "/v1/records", invalid, nil)
	var p api.Problem
	r.json(t, &p)
	if r.code != 422 || r.ct != "application/problem+json" || len(p.Violations) != 2 {
		t.Fatalf("invalid record = %d %s", r.code, r.body)
	}
	got := map[string]string{}
	for _, v := range p.Violations {
		got[v.Pointer] = v.Rule
	}
	if got["/sensorType"] != "sensor.type" || got["/observedAt"] != "schema.required" {
		t.Fatalf("violations = %+v", p.Violations)
	}
	cases := []struct {
		name string
		body []byte
		hdr  map[string]string
		code int
		typ  string
	}{
		{"malformed", []byte(`{"id": `), nil, 400, "malformed"},
		{"duplicate keys", []byte(`{"id":"a","id":"b"}`), nil, 400, "malformed"},
		{"too large", bytes.Repeat([]byte("x"), schema.DefaultMaxSize+(64<<10)+1), nil, 413, "too-large"},
		{"too large record", []byte(`{"pad":"` + strings.Repeat("x", schema.DefaultMaxSize) + `"}`), nil, 413, "too-large"},
		{"unknown type", record(t, schema.TypeSensorReading, func(d map[string]any) { d["type"] = "Passport" }), nil, 422, "unknown-type"},
		{"media type", []byte(`x`), map[string]string{"Content-Type": "text/plain"}, 415, "unsupported-media-type"},
		{"bad cloudevent", []byte(`{"specversion":"1.0"}`), map[string]string{"Content-Type": "application/cloudevents+json"}, 400, "invalid-cloudevent"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := f.do(t, partnerA, "POST", "/v1/records", tc.body, tc.hdr)
			var p api.Problem
			r.json(t, &p)
			if r.code != tc.code || p.Type != api.ProblemBase+tc.typ {
				t.Fatalf("%d %s", r.code, r.body)
			}
		})
	}
	if r := f.do(t, officer, "GET", "/v1/records?status=lost", nil, nil); r.code != 400 {
		t.Fatalf("bad status filter = %d", r.code)
	}
	if r := f.do(t, officer, "GET", "/v1/records?hsCode=72%25", nil, nil); r.code != 400 {
		t.Fatalf("bad hsCode filter = %d", r.code)
	}
	if r := f.do(t, officer, "GET", "/v1/nope", nil, nil); r.code != 404 || r.ct != "application/problem+json" {
		t.Fatalf("unknown path = %d", r.code)
	}
}

func TestCloudEvents(t *testing.T) {
	f := newFixture(t)
	rec := sensor(t)
	structured := fmt.Sprintf(`{"specversion":"1.0","id":"evt-1","source":"urn:partner:sensor-co","type":"org.ledgergate.record.submit","datacontenttype":"application/json","data":%s}`, rec)
	r := f.do(t, partnerA, "POST", "/v1/records", []byte(structured), map[string]string{"Content-Type": "application/cloudevents+json"})
	if r.code != 202 {
		t.Fatalf("structured CloudEvent = %d %s", r.code, r.body)
	}
	rec2 := sensor(t)
	r = f.do(t, partnerA, "POST", "/v1/records", rec2, map[string]string{
		"Content-Type": "application/json", "Ce-Specversion": "1.0", "Ce-Id": "evt-2", "Ce-Source": "urn:partner:sensor-co", "Ce-Type": "org.ledgergate.record.submit",
	})
	var acc api.AcceptedView
	r.json(t, &acc)
	want, _ := schema.Default().Validate(rec2)
	if r.code != 202 || acc.Digest != want.Digest {
		t.Fatalf("binary CloudEvent = %d %s", r.code, r.body)
	}
	// A binary event missing a required attribute.
	r = f.do(t, partnerA, "POST", "/v1/records", sensor(t), map[string]string{"Ce-Specversion": "1.0", "Ce-Id": "evt-3"})
	if r.code != 400 {
		t.Fatalf("incomplete CloudEvent = %d %s", r.code, r.body)
	}
}

func TestListFiltersAndPages(t *testing.T) {
	f := newFixture(t)
	for range 7 {
		if r := f.do(t, partnerA, "POST", "/v1/records", sensor(t), nil); r.code != 202 {
			t.Fatal(r.code)
		}
	}
	coo := record(t, schema.TypeCertificateOfOrigin, func(d map[string]any) {
		d["issuer"] = map[string]any{"id": "did:web:northsteel.example", "role": "exporter"}
	})
	if r := f.do(t, partnerB, "POST", "/v1/records", coo, nil); r.code != 202 {
		t.Fatalf("%d %s", r.code, r.body)
	}
	var l api.ListView
	f.do(t, officer, "GET", "/v1/records?type=CertificateOfOrigin&hsCode=0901&country=CR", nil, nil).json(t, &l)
	if len(l.Items) != 1 || l.Items[0].Type != "CertificateOfOrigin" {
		t.Fatalf("filtered list = %+v", l)
	}
	seen := 0
	cursor := ""
	for page := 0; page < 10; page++ {
		l = api.ListView{}
		f.do(t, officer, "GET", "/v1/records?limit=3&type=SensorReading&cursor="+cursor, nil, nil).json(t, &l)
		seen += len(l.Items)
		if l.Next == "" {
			break
		}
		cursor = l.Next
	}
	if seen != 7 {
		t.Fatalf("paged through %d sensor readings, want 7", seen)
	}
	// Partner B's list shows A's records in public view.
	l = api.ListView{}
	f.do(t, partnerB, "GET", "/v1/records?type=SensorReading&limit=1", nil, nil).json(t, &l)
	if len(l.Items) != 1 || !l.Items[0].Public || l.Items[0].Record != nil {
		t.Fatalf("partner B sees A's record: %+v", l.Items)
	}
}

func TestOperationalEndpoints(t *testing.T) {
	f := newFixture(t)
	for _, p := range []string{"/healthz", "/readyz", "/openapi.yaml", "/metrics"} {
		if r := f.do(t, "", "GET", p, nil, nil); r.code != 200 {
			t.Errorf("%s = %d", p, r.code)
		}
	}
	var lv struct {
		Ledgers []api.LedgerHealth `json:"ledgers"`
	}
	f.do(t, officer, "GET", "/v1/ledgers", nil, nil).json(t, &lv)
	if len(lv.Ledgers) != 2 {
		t.Fatalf("ledgers = %+v", lv)
	}
	f.do(t, partnerA, "POST", "/v1/records", sensor(t), nil)
	r := f.do(t, "", "GET", "/metrics", nil, nil)
	if !strings.Contains(string(r.body), `ledgergate_records_accepted_total{new="true",type="SensorReading"} 1`) {
		t.Fatalf("metrics lack the accepted counter:\n%s", r.body)
	}
	// The record's two deliveries (one per routed ledger) wait: no relay
	// runs here.
	if !strings.Contains(string(r.body), `ledgergate_deliveries{state="pending"} 2`) || !strings.Contains(string(r.body), `ledgergate_deliveries{state="confirmed"} 0`) {
		t.Fatalf("metrics lack the outbox by state:\n%s", r.body)
	}
	// A store that no longer answers makes the gateway not ready.
	f.st.Close()
	if r := f.do(t, "", "GET", "/readyz", nil, nil); r.code != http.StatusServiceUnavailable || !strings.Contains(string(r.body), "store: ") {
		t.Fatalf("/readyz with the store closed = %d %s", r.code, r.body)
	}
}

func TestRecordAudit(t *testing.T) {
	f := newFixture(t)
	_, acc := f.submit(t, partnerA, sensor(t))
	path := acc.StatusURL + "/audit"
	for _, who := range []string{partnerA, officer, admin} {
		r := f.do(t, who, "GET", path, nil, nil)
		var view api.AuditView
		r.json(t, &view)
		if r.code != 200 || len(view.Items) != 1 || view.Items[0].Action != "record.accepted" || view.Items[0].Actor != partnerA || view.Items[0].Detail != string(acc.Digest) {
			t.Fatalf("audit as %s: %d %s", who, r.code, r.body)
		}
	}
	if r := f.do(t, partnerB, "GET", path, nil, nil); r.code != http.StatusForbidden {
		t.Fatalf("another partner's audit read = %d %s", r.code, r.body)
	}
	if r := f.do(t, officer, "GET", path+"?limit=0", nil, nil); r.code != http.StatusBadRequest {
		t.Fatalf("limit=0 = %d %s", r.code, r.body)
	}
	if r := f.do(t, officer, "GET", "/v1/records/"+conformance.NewRecordID()+"/audit", nil, nil); r.code != http.StatusNotFound {
		t.Fatalf("unknown record's audit = %d", r.code)
	}
	if r := f.do(t, "", "GET", path, nil, nil); r.code != http.StatusUnauthorized {
		t.Fatalf("anonymous audit read = %d", r.code)
	}
}
