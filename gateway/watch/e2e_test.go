package watch_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/gorilla/websocket"

	"github.com/ledgergate/ledgergate/adapters/factom/client"
	"github.com/ledgergate/ledgergate/adapters/factom/node"
	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
	"github.com/ledgergate/ledgergate/gateway/auth"
	"github.com/ledgergate/ledgergate/gateway/events"
	"github.com/ledgergate/ledgergate/gateway/server"
	"github.com/ledgergate/ledgergate/gateway/watch"
	"github.com/ledgergate/ledgergate/internal/config"
	"github.com/ledgergate/ledgergate/internal/devchain"
)

// partnerChain is the partner's own Ethereum chain with its OriginRegistry.
type partnerChain struct {
	chain    *devchain.Chain
	contract *bind.BoundContract
	address  common.Address
	abiPath  string

	mu    sync.Mutex
	nonce uint64 // the next transaction's; the pool's pending nonce lags a send
}

type certificate struct {
	No            [32]byte
	ExporterName  string
	Signatory     string
	HsCode        string
	Goods         string
	OriginCountry string
	Agreement     string
	InvoiceRef    string
	CertifiedAt   uint64
}

func startPartnerChain(t testing.TB) *partnerChain {
	t.Helper()
	c, err := devchain.Start(devchain.Options{BlockTime: 200 * time.Millisecond, RPCAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	abiJSON, err := os.ReadFile("testdata/OriginRegistry.abi")
	if err != nil {
		t.Fatal(err)
	}
	bin, err := os.ReadFile("testdata/OriginRegistry.bin")
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := abi.JSON(strings.NewReader(string(abiJSON)))
	if err != nil {
		t.Fatal(err)
	}
	opts, err := bind.NewKeyedTransactorWithChainID(c.Key, big.NewInt(1337))
	if err != nil {
		t.Fatal(err)
	}
	addr, tx, bound, err := bind.DeployContract(opts, parsed, common.FromHex(strings.TrimSpace(string(bin))), c.Client())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := bind.WaitDeployed(ctx, c.Client(), tx); err != nil {
		t.Fatal(err)
	}
	return &partnerChain{chain: c, contract: bound, address: addr, abiPath: "testdata/OriginRegistry.abi", nonce: tx.Nonce() + 1}
}

func (p *partnerChain) certify(t testing.TB, cert certificate) common.Hash {
	t.Helper()
	opts, err := bind.NewKeyedTransactorWithChainID(p.chain.Key, big.NewInt(1337))
	if err != nil {
		t.Fatal(err)
	}
	// Back-to-back sends would otherwise both ask the pool for the pending
	// nonce, which it updates asynchronously, and collide ("replacement
	// transaction underpriced").
	p.mu.Lock()
	defer p.mu.Unlock()
	opts.Nonce = new(big.Int).SetUint64(p.nonce)
	tx, err := p.contract.Transact(opts, "certify", cert)
	if err != nil {
		t.Fatal(err)
	}
	p.nonce++
	return tx.Hash()
}

func cert(n byte, hs string) certificate {
	var no [32]byte
	no[31] = n
	return certificate{No: no, ExporterName: "Cafe Tica S.A.", Signatory: "Luis Mora", HsCode: hs, Goods: "Coffee, not roasted",
		OriginCountry: "CR", Agreement: "CAFTA-DR", InvoiceRef: fmt.Sprintf("CT-%d", 88000+int(n)), CertifiedAt: 1778421600 + uint64(n)}
}

// partnerFactom is a postal operator's own Factom chain on an embedded node.
type partnerFactom struct {
	c     *client.Client
	key   protocol.ECKey
	chain protocol.Hash
	url   string
}

func startPartnerFactom(t testing.TB) *partnerFactom {
	t.Helper()
	key, err := protocol.GenerateECKey()
	if err != nil {
		t.Fatal(err)
	}
	n, err := node.New(t.TempDir(), node.WithFunds(key.Public(), 10_000_000), node.WithBlockTime(300*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- n.Serve(ctx, l) }()
	t.Cleanup(func() { cancel(); <-done; _ = n.Close() })
	url := "http://" + l.Addr().String()
	p := &partnerFactom{c: client.New(url), key: key, url: url}
	first := protocol.NewChainEntry([]byte(`{"kind":"header","operator":"Example Post"}`), []byte("post.example"), []byte("item-events"))
	p.chain = first.ChainID
	cc, err := protocol.NewCommitChain(first, key, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.c.CommitChain(context.Background(), cc); err != nil {
		t.Fatal(err)
	}
	if _, err := p.c.RevealChain(context.Background(), first); err != nil {
		t.Fatal(err)
	}
	return p
}

func (p *partnerFactom) post(t testing.TB, item, evt, ts string) {
	t.Helper()
	content := fmt.Sprintf(`{"item":%q,"evt":%q,"ts":%q,"where":{"cc":"CN","locode":"CNPEK"}}`, item, evt, ts)
	e := &protocol.Entry{ChainID: p.chain, ExtIDs: [][]byte{[]byte(item)}, Content: []byte(content)}
	ce, err := protocol.NewCommitEntry(e, p.key, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.c.CommitEntry(context.Background(), ce); err != nil {
		t.Fatal(err)
	}
	if _, err := p.c.RevealEntry(context.Background(), e); err != nil {
		t.Fatal(err)
	}
}

type keys struct{ cafe, post, officer, admin string }

func gatewayConfig(t testing.TB, dir string, eth *partnerChain, fct *partnerFactom, originMapping string) (*config.Config, keys) {
	t.Helper()
	var k keys
	var hc, hp, ho, ha string
	k.cafe, hc = auth.NewKey()
	k.post, hp = auth.NewKey()
	k.officer, ho = auth.NewKey()
	k.admin, ha = auth.NewKey()
	postal, err := os.ReadFile("testdata/postal.jq")
	if err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{
		Listen: "127.0.0.1:0",
		Store:  config.Store{Driver: "sqlite", DSN: filepath.Join(dir, "gw.db")},
		Accounts: []auth.Account{
			{ID: "cafe-tica", Role: auth.RolePartner, Issuer: "did:web:cafe-tica.example", APIKeyHashes: []string{hc}},
			{ID: "post", Role: auth.RolePartner, Issuer: "did:web:post.example", APIKeyHashes: []string{hp}},
			{ID: "officer", Role: auth.RoleOfficer, APIKeyHashes: []string{ho}},
			{ID: "admin", Role: auth.RoleAdmin, APIKeyHashes: []string{ha}},
		},
		Sources: []config.Source{
			{Name: "cafe-tica-origin", Kind: "ethereum", Partner: "cafe-tica", RPC: eth.chain.RPC, Contract: eth.address.Hex(),
				ABI: eth.abiPath, Event: "OriginCertified", MappingFile: originMapping, Poll: 50 * time.Millisecond},
			{Name: "post-items", Kind: "factom", Partner: "post", URL: fct.url, ChainID: fct.chain.String(), Mapping: string(postal), Poll: 50 * time.Millisecond},
		},
		Events: config.Events{LeaseTTL: 3 * time.Second},
		Log:    config.Log{Level: "warn"},
	}
	return cfg, k
}

type running struct {
	g    *server.Gateway
	stop func()
}

func run(t testing.TB, cfg *config.Config) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	g, err := server.New(ctx, cfg, server.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- g.Run(ctx) }()
	select {
	case <-g.Started():
	case err := <-done:
		cancel()
		t.Fatalf("gateway: %v", err)
	}
	r := &running{g: g}
	var once bool
	r.stop = func() {
		if once {
			return
		}
		once = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("gateway run: %v", err)
		}
	}
	t.Cleanup(r.stop)
	return r
}

func dialStream(t testing.TB, addr, key, query string) *websocket.Conn {
	t.Helper()
	h := http.Header{"Authorization": {"Bearer " + key}}
	c, resp, err := websocket.DefaultDialer.Dial("ws://"+addr+"/v1/stream?"+query, h)
	if err != nil {
		if resp != nil {
			b, _ := io.ReadAll(resp.Body)
			t.Fatalf("dial: %v: %d %s", err, resp.StatusCode, b)
		}
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

type streamed struct {
	Type       string            `json:"type"`
	Subject    string            `json:"subject"`
	Sequence   string            `json:"sequence"`
	Partner    string            `json:"partner"`
	RecordType string            `json:"recordtype"`
	Data       events.RecordData `json:"data"`
}

// readUntil reads events until cond holds for the collected ones.
func readUntil(t testing.TB, c *websocket.Conn, d time.Duration, cond func([]streamed) bool) []streamed {
	t.Helper()
	var got []streamed
	deadline := time.Now().Add(d)
	for !cond(got) {
		_ = c.SetReadDeadline(deadline)
		_, b, err := c.ReadMessage()
		if err != nil {
			t.Fatalf("read (after %d events %v): %v", len(got), got, err)
		}
		var ev streamed
		if err := json.Unmarshal(b, &ev); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		got = append(got, ev)
	}
	return got
}

func countType(evs []streamed, typ string) int {
	n := 0
	for _, e := range evs {
		if e.Type == typ {
			n++
		}
	}
	return n
}

func getJSON(t testing.TB, method, url, key string, out any) int {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, url, err, b)
		}
	}
	return resp.StatusCode
}

// TestPartnerLedgersToWebsocket: a partner's own contract on its own chain
// and a postal operator's own Factom chain flow, through jq mappings, to
// validated records and to websocket clients; a bad event is a dead
// letter that a fixed mapping resolves after a restart, which resumes
// with no loss and no duplicates.
func TestPartnerLedgersToWebsocket(t *testing.T) {
	eth := startPartnerChain(t)
	fct := startPartnerFactom(t)
	dir := t.TempDir()
	cfg, k := gatewayConfig(t, dir, eth, fct, "testdata/origin.jq")
	gw := run(t, cfg)
	addr := gw.g.Addr()

	officer := dialStream(t, addr, k.officer, "type=org.ledgergate.record.observed")
	cafe := dialStream(t, addr, k.cafe, "type=org.ledgergate.record.*") // a partner sees its own only
	postOnly := dialStream(t, addr, k.officer, "recordType=PostalItemEvent&type=org.ledgergate.record.observed")

	tx1 := eth.certify(t, cert(1, "090111"))
	eth.certify(t, cert(2, "0901.11")) // the partner's dotted HS code: fails validation
	eth.certify(t, cert(3, "090121"))
	fct.post(t, "RR473124829CN", "EMA", "2026-06-01T01:00:00+08:00")
	fct.post(t, "RR473124829CN", "EMC", "2026-06-01T03:10:00+08:00")

	got := readUntil(t, officer, 60*time.Second, func(e []streamed) bool { return len(e) >= 4 })
	byType := map[string][]streamed{}
	for _, e := range got {
		byType[e.RecordType] = append(byType[e.RecordType], e)
	}
	if len(byType["CertificateOfOrigin"]) != 2 || len(byType["PostalItemEvent"]) != 2 {
		t.Fatalf("observed %+v", got)
	}
	first := byType["CertificateOfOrigin"][0]
	var prov watch.Provenance
	if err := json.Unmarshal(first.Data.Provenance, &prov); err != nil {
		t.Fatal(err)
	}
	if prov.TxID != tx1.Hex() || prov.Ledger != "ethereum" || prov.Contract != eth.address.Hex() || first.Partner != "cafe-tica" || first.Data.Source != "cafe-tica-origin" {
		t.Fatalf("first observed %+v, provenance %+v", first, prov)
	}
	pe := byType["PostalItemEvent"][0]
	if err := json.Unmarshal(pe.Data.Provenance, &prov); err != nil || prov.Ledger != "factom" || prov.ChainID != fct.chain.String() || len(prov.TxID) != 64 {
		t.Fatalf("postal provenance %+v %v", prov, err)
	}
	// The record is stored with its provenance, as submitted records are.
	var rec struct {
		Record map[string]any `json:"record"`
	}
	if code := getJSON(t, "GET", "http://"+addr+"/v1/records/"+first.Subject, k.officer, &rec); code != 200 {
		t.Fatalf("GET record: %d", code)
	}
	if b, _ := json.Marshal(rec); !strings.Contains(string(b), tx1.Hex()) || !strings.Contains(string(b), watch.ProvenanceKey) {
		t.Fatalf("record without provenance: %s", b)
	}
	// Filters: the partner only sees its own records; the postal filter only postal ones.
	cafeEvents := readUntil(t, cafe, 30*time.Second, func(e []streamed) bool { return countType(e, events.TypeObserved) >= 2 })
	for _, e := range cafeEvents {
		if e.Partner != "cafe-tica" {
			t.Fatalf("partner stream leaked %+v", e)
		}
	}
	for _, e := range readUntil(t, postOnly, 30*time.Second, func(e []streamed) bool { return len(e) >= 2 }) {
		if e.RecordType != "PostalItemEvent" {
			t.Fatalf("recordType filter leaked %+v", e)
		}
	}
	// The bad certificate is a visible dead letter with its native payload.
	var dl struct {
		Items []struct {
			ID      int64           `json:"id"`
			Source  string          `json:"source"`
			State   string          `json:"state"`
			Error   string          `json:"error"`
			Payload json.RawMessage `json:"payload"`
		} `json:"items"`
	}
	if code := getJSON(t, "GET", "http://"+addr+"/v1/deadletters?kind=source&state=open", k.officer, &dl); code != 200 {
		t.Fatalf("GET deadletters: %d", code)
	}
	if len(dl.Items) != 1 || dl.Items[0].Source != "cafe-tica-origin" || !strings.Contains(string(dl.Items[0].Payload), `"hsCode":"0901.11"`) || dl.Items[0].Error == "" {
		t.Fatalf("dead letters %+v", dl.Items)
	}
	badID := dl.Items[0].ID
	// Retrying with the same mapping fails again (422) and the item stays open.
	if code := getJSON(t, "POST", fmt.Sprintf("http://%s/v1/deadletters/%d/retry", addr, badID), k.admin, nil); code != 422 {
		t.Fatalf("retry with the broken mapping: %d", code)
	}
	lastSeq := got[len(got)-1].Sequence

	// Restart with the fixed mapping: the checkpoint resumes (no event seen
	// twice), the dead letter is retried and resolved, and new events flow.
	gw.stop()
	cfg2, _ := gatewayConfig(t, dir, eth, fct, "testdata/origin-fixed.jq")
	cfg2.Accounts = cfg.Accounts
	gw2 := run(t, cfg2)
	addr = gw2.g.Addr()
	officer2 := dialStream(t, addr, k.officer, "type=org.ledgergate.record.observed&after="+lastSeq)
	var resolved struct {
		State string `json:"state"`
	}
	if code := getJSON(t, "POST", fmt.Sprintf("http://%s/v1/deadletters/%d/retry", addr, badID), k.admin, &resolved); code != 200 || resolved.State != "resolved" {
		t.Fatalf("retry with the fixed mapping: %d %+v", code, resolved)
	}
	eth.certify(t, cert(4, "090111"))
	fct.post(t, "RR473124829CN", "EMD", "2026-06-02T09:00:00+08:00")
	after := readUntil(t, officer2, 60*time.Second, func(e []streamed) bool { return countType(e, events.TypeObserved) >= 3 })
	seen := map[string]bool{}
	for _, e := range got {
		seen[e.Subject] = true
	}
	for _, e := range after {
		if e.Type == events.TypeStreamGap {
			continue // the previous process's ring is gone: reported, not hidden
		}
		if seen[e.Subject] {
			t.Fatalf("observed twice across the restart: %+v", e)
		}
		seen[e.Subject] = true
	}
	if len(seen) != 7 {
		t.Fatalf("want 7 distinct records (2+1 retried+1 certificates, 3 postal), got %d", len(seen))
	}
	var sources struct {
		Sources []watch.SourceStatus `json:"sources"`
	}
	if code := getJSON(t, "GET", "http://"+addr+"/v1/sources", k.officer, &sources); code != 200 || len(sources.Sources) != 2 {
		t.Fatalf("sources: %d %+v", code, sources)
	}
	for _, s := range sources.Sources {
		if s.Checkpoint == "" || s.LeaseOwner == "" {
			t.Fatalf("source %+v", s)
		}
	}
}
