package api_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ledgergate/ledgergate"
	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/memory"
	"github.com/ledgergate/ledgergate/gateway/api"
	"github.com/ledgergate/ledgergate/gateway/ingest"
	"github.com/ledgergate/ledgergate/gateway/reconcile"
	"github.com/ledgergate/ledgergate/gateway/routing"
	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/gateway/verify"
	"github.com/ledgergate/ledgergate/internal/testenv"
	"github.com/ledgergate/ledgergate/schema"
)

// reconcileFixture is an API with a reconciler over one memory ledger,
// with the store exposed.
func reconcileFixture(t *testing.T) (*fixture, store.Store, *memory.Ledger) {
	t.Helper()
	st := testenv.SQLiteStore(t)
	reg := schema.Default()
	router, err := routing.New([]routing.Route{{Name: "all", Targets: []routing.Target{{Ledger: "chain-a", Disclosure: adapters.DisclosureFull}}}}, []string{"chain-a"})
	if err != nil {
		t.Fatal(err)
	}
	authn := testAccounts(t)
	ledger := memory.NewLedger()
	ad := memory.New(ledger)
	eng := reconcile.New(reconcile.Config{Source: reconcile.StoreSource{Store: st}, Ledgers: map[string]adapters.Adapter{"chain-a": ad}, Store: st})
	s := api.New(api.Config{
		Registry: reg, Store: st, Ingest: ingest.New(reg, st, router), Auth: authn, OpenAPI: ledgergate.OpenAPI,
		Ledgers: []api.Ledger{{Name: "chain-a", Kind: "memory", Adapter: ad}}, Reconcile: eng,
	})
	f := &fixture{srv: httptest.NewServer(s), api: s, spec: loadSpec(t)}
	t.Cleanup(f.srv.Close)
	return f, st, ledger
}

func TestDiscrepanciesAPI(t *testing.T) {
	f, st, _ := reconcileFixture(t)
	ctx := context.Background()
	if _, err := st.AddDiscrepancies(ctx, []store.Discrepancy{
		{RecordID: "r1", Ledger: "chain-a", Partner: partnerA, Verdict: "divergent", Expected: schema.DigestOf([]byte("a")), Found: schema.DigestOf([]byte("b")), Version: "newer",
			Fields: []store.FieldDiff{{Pointer: "/value", Expected: json.RawMessage(`"1"`), Found: json.RawMessage(`"2"`)}}},
		{RecordID: "r2", Ledger: "chain-a", Partner: partnerB, Verdict: "missing", Expected: schema.DigestOf([]byte("c"))},
		{RecordID: "r3", Ledger: "chain-a", Partner: partnerB, Verdict: "unverifiable", Reason: "ledger unavailable"},
	}); err != nil {
		t.Fatal(err)
	}
	var list api.DiscrepancyList
	r := f.do(t, officer, "GET", "/v1/discrepancies", nil, nil)
	r.json(t, &list)
	if r.code != 200 || len(list.Items) != 3 {
		t.Fatalf("officer: %d %s", r.code, r.body)
	}
	r = f.do(t, partnerB, "GET", "/v1/discrepancies?limit=1", nil, nil)
	r.json(t, &list)
	if r.code != 200 || len(list.Items) != 1 || list.Items[0].RecordID != "r2" || list.Next == "" {
		t.Fatalf("partner page 1: %s", r.body)
	}
	r = f.do(t, partnerB, "GET", "/v1/discrepancies?limit=1&cursor="+list.Next, nil, nil)
	r.json(t, &list)
	if len(list.Items) != 1 || list.Items[0].RecordID != "r3" {
		t.Fatalf("partner page 2: %s", r.body)
	}
	r = f.do(t, partnerA, "GET", "/v1/discrepancies?verdict=missing", nil, nil)
	r.json(t, &list)
	if len(list.Items) != 0 {
		t.Fatalf("a partner sees only its own records' discrepancies: %s", r.body)
	}
	r = f.do(t, admin, "GET", "/v1/discrepancies?verdict=divergent&state=open&recordId=r1", nil, nil)
	r.json(t, &list)
	if len(list.Items) != 1 || list.Items[0].Fields[0].Pointer != "/value" {
		t.Fatalf("filters: %s", r.body)
	}
	for _, q := range []string{"verdict=odd", "state=x", "limit=0", "cursor=-1"} {
		if r := f.do(t, officer, "GET", "/v1/discrepancies?"+q, nil, nil); r.code != 400 {
			t.Errorf("%s: %d", q, r.code)
		}
	}
	if r := f.do(t, "", "GET", "/v1/discrepancies", nil, nil); r.code != 401 {
		t.Errorf("anonymous: %d", r.code)
	}
}

func TestReconcileAndVerifyAPI(t *testing.T) {
	f, _, ledger := reconcileFixture(t)
	ex, err := schema.ExampleOf(schema.TypeSensorReading, "minimal")
	if err != nil {
		t.Fatal(err)
	}
	rec, err := schema.Default().Validate(ex)
	if err != nil {
		t.Fatal(err)
	}
	if r := f.do(t, partnerA, "POST", "/v1/records", ex, nil); r.code != 202 {
		t.Fatalf("submit: %d %s", r.code, r.body)
	}
	// Not relayed: on demand, the record is pending on its ledger.
	body, _ := json.Marshal(api.ReconcileRequest{Records: []string{rec.ID}})
	r := f.do(t, officer, "POST", "/v1/reconcile", body, nil)
	var rep reconcile.Report
	r.json(t, &rep)
	if r.code != 200 || rep.Records != 1 || len(rep.Findings) != 1 || rep.Findings[0].Verdict != reconcile.Pending {
		t.Fatalf("reconcile: %d %s", r.code, r.body)
	}
	if r := f.do(t, partnerA, "POST", "/v1/reconcile", body, nil); r.code != 403 {
		t.Fatalf("partner: %d", r.code)
	}
	if r := f.do(t, officer, "POST", "/v1/reconcile", []byte(`{"records":[]}`), nil); r.code != 400 {
		t.Fatalf("empty: %d", r.code)
	}

	// Public verification: not on the ledger yet, then written.
	vbody, _ := json.Marshal(verify.Request{Record: rec.Canonical})
	var res verify.Result
	r = f.do(t, "", "POST", "/v1/verify", vbody, nil)
	r.json(t, &res)
	if r.code != 200 || res.Verified || res.Digest != rec.Digest {
		t.Fatalf("verify before write: %d %s", r.code, r.body)
	}
	if _, err := memory.New(ledger).Write(context.Background(), rec, adapters.Policy{Disclosure: adapters.DisclosureFull}); err != nil {
		t.Fatal(err)
	}
	r = f.do(t, "", "POST", "/v1/verify", vbody, nil)
	r.json(t, &res)
	if !res.Verified || !res.Current || !res.Ledgers[0].Verified {
		t.Fatalf("verify after write: %s", r.body)
	}
	tampered := strings.Replace(string(ex), `"value"`, `"valueX"`, 1)
	idOnly, _ := json.Marshal(verify.Request{ID: rec.ID, Digest: schema.DigestOf([]byte(tampered))})
	r = f.do(t, "", "POST", "/v1/verify", idOnly, nil)
	r.json(t, &res)
	if res.Verified {
		t.Fatalf("another digest verified: %s", r.body)
	}
	for _, b := range []string{`[`, `{}`, `{"id":"x","digest":"nope"}`} {
		if r := f.do(t, "", "POST", "/v1/verify", []byte(b), nil); r.code != 400 {
			t.Errorf("%s: %d", b, r.code)
		}
	}
}
