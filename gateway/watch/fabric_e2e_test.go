package watch_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	gwproto "github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"google.golang.org/grpc/status"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/fabric"
	"github.com/ledgergate/ledgergate/adapters/fabric/fabrictest"
	"github.com/ledgergate/ledgergate/gateway/auth"
	"github.com/ledgergate/ledgergate/gateway/events"
	"github.com/ledgergate/ledgergate/gateway/watch"
	"github.com/ledgergate/ledgergate/internal/config"
)

// partnerFabric is the exporter's own chaincode, originreg
// (testnet/fabric/partnercc), on the Fabric test network's channel,
// written to as the partner organization's user: never as the customs
// user, whose transactions the adapter's conformance run counts on the
// shared network.
type partnerFabric struct {
	net      *fabrictest.Connection
	contract *client.Contract
	run      string // makes this run's certificate numbers unique on the long-lived network
}

func startPartnerFabric(t testing.TB) *partnerFabric {
	t.Helper()
	n := fabrictest.NeedPartnerChaincode(t)
	gw, closeFn, err := n.Connect("partner", client.WithEvaluateTimeout(30*time.Second), client.WithEndorseTimeout(30*time.Second),
		client.WithSubmitTimeout(30*time.Second), client.WithCommitStatusTimeout(2*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = closeFn() })
	run := strings.ToUpper(strconv.FormatInt(time.Now().UnixNano(), 36) + strconv.FormatUint(uint64(rand.Uint32()%1296), 36))
	return &partnerFabric{net: n, contract: gw.GetNetwork(n.Channel).GetContract(n.PartnerChaincode), run: run}
}

func (p *partnerFabric) certNo(i int) string { return fmt.Sprintf("MX-COO-%s-%03d", p.run, i) }

// certificate is the exporter's own JSON shape.
func (p *partnerFabric) certificate(i int, fraccion string) string {
	return fmt.Sprintf(`{"certNo":%q,"tratado":"T-MEC","exporterRfc":"AMI010514PZ3","exportador":"Aguacates de Michoacán S.A. de C.V.",
"firmante":{"nombre":"María Pérez Ruiz","cargo":"Gerente de Comercio Exterior"},
"goods":[{"fraccion":%q,"descripcion":"Aguacates Hass frescos","criterio":"A","pais":"MX"}],
"periodo":{"desde":"2026-06-01","hasta":"2026-11-30"},"firmadoEn":"2026-06-%02dT10:00:00-06:00"}`, p.certNo(i), fraccion, i)
}

// submit runs a transaction of the partner chaincode and waits for its
// commit: its transaction id and block.
func (p *partnerFabric) submit(t testing.TB, fn string, args ...string) (string, uint64) {
	t.Helper()
	_, commit, err := p.contract.SubmitAsync(fn, client.WithArguments(args...))
	if err != nil {
		t.Fatalf("%s: %v", fn, err)
	}
	st, err := commit.Status()
	if err != nil {
		t.Fatalf("%s: commit status: %v", fn, err)
	}
	if !st.Successful {
		t.Fatalf("%s: transaction %s invalid: %s", fn, st.TransactionID, st.Code)
	}
	return st.TransactionID, st.BlockNumber
}

func (p *partnerFabric) certify(t testing.TB, i int, fraccion string) (string, uint64) {
	t.Helper()
	return p.submit(t, "Certify", p.certificate(i, fraccion))
}

func (p *partnerFabric) cancel(t testing.TB, i int, motivo string) (string, uint64) {
	t.Helper()
	return p.submit(t, "Cancel", p.certNo(i), motivo)
}

// fabricGatewayConfig watches originreg from startBlock, reading the
// channel as the customs user (reads are not transactions).
type fabricKeys struct{ exporter, officer, admin string }

func fabricGatewayConfig(t testing.TB, dir string, p *partnerFabric, startBlock uint64, mapping string) (*config.Config, fabricKeys) {
	t.Helper()
	customs, ok := p.net.Org("customs")
	if !ok {
		t.Fatal("no customs org in the connection file")
	}
	var k fabricKeys
	var hp, ho, ha string
	k.exporter, hp = auth.NewKey()
	k.officer, ho = auth.NewKey()
	k.admin, ha = auth.NewKey()
	cfg := &config.Config{
		Listen: "127.0.0.1:0",
		Store:  config.Store{Driver: "sqlite", DSN: filepath.Join(dir, "gw.db")},
		Accounts: []auth.Account{
			{ID: "aguacates", Role: auth.RolePartner, Issuer: "did:web:aguacates-mich.example", APIKeyHashes: []string{hp}},
			{ID: "officer", Role: auth.RoleOfficer, APIKeyHashes: []string{ho}},
			{ID: "admin", Role: auth.RoleAdmin, APIKeyHashes: []string{ha}},
		},
		Sources: []config.Source{{
			Name: "aguacates-origin", Kind: "fabric", Partner: "aguacates",
			Peer: customs.PeerEndpoint, TLSCACert: customs.TLSCACert, ServerName: customs.PeerHostOverride,
			MSPID: customs.MSPID, CertFile: customs.UserCert, KeyFile: customs.UserKey,
			Channel: p.net.Channel, Chaincode: p.net.PartnerChaincode,
			Events: []string{"OriginCertified", "OriginCancelled"}, FromBlock: startBlock, MappingFile: mapping,
		}},
		Events: config.Events{LeaseTTL: 3 * time.Second},
		Log:    config.Log{Level: "warn"},
	}
	cfg.Defaults()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return cfg, k
}

type deadLetter struct {
	ID         int64           `json:"id"`
	Source     string          `json:"source"`
	Key        string          `json:"key"`
	State      string          `json:"state"`
	Attempts   int             `json:"attempts"`
	Error      string          `json:"error"`
	Payload    json.RawMessage `json:"payload"`
	Provenance json.RawMessage `json:"provenance"`
}

func deadLetters(t testing.TB, addr, key, query string) []deadLetter {
	t.Helper()
	var dl struct {
		Items []deadLetter `json:"items"`
	}
	if code := getJSON(t, "GET", "http://"+addr+"/v1/deadletters?kind=source&"+query, key, &dl); code != 200 {
		t.Fatalf("GET deadletters: %d", code)
	}
	return dl.Items
}

// TestFabricPartnerChaincodeToWebsocket: a Mexican exporter's own
// chaincode on the Fabric test network, with its own JSON shape, flows
// from native writes (as the partner organization) through the jq mapping
// to validated CertificateOfOrigin records with Fabric provenance and to a
// websocket client. A certificate with a dotted tariff fraction and a
// cancellation whose payload is not JSON become dead letters; after a
// restart with the fixed mapping both are retried, a certificate written
// while the gateway was down is caught up from the checkpoint, and no
// event is processed twice.
func TestFabricPartnerChaincodeToWebsocket(t *testing.T) {
	p := startPartnerFabric(t)
	tx1, startBlock := p.certify(t, 1, "08044001") // before the gateway runs: read from fromBlock
	dir := t.TempDir()
	cfg, k := fabricGatewayConfig(t, dir, p, startBlock, "testdata/originreg.jq")
	gw := run(t, cfg)
	addr := gw.g.Addr()
	officer := dialStream(t, addr, k.officer, "type=org.ledgergate.record.observed&recordType=CertificateOfOrigin")
	exporter := dialStream(t, addr, k.exporter, "type=org.ledgergate.record.observed")

	tx2, _ := p.certify(t, 2, "0804.40.01") // the exporter's dotted fraction: fails validation
	p.certify(t, 3, "08045001")
	txCancel, cancelBlock := p.cancel(t, 1, "error en el domicilio") // a text payload: not JSON

	got := readUntil(t, officer, 90*time.Second, func(e []streamed) bool { return len(e) >= 2 })
	if len(got) != 2 {
		t.Fatalf("observed %+v", got)
	}
	first := got[0]
	var prov watch.Provenance
	if err := json.Unmarshal(first.Data.Provenance, &prov); err != nil {
		t.Fatal(err)
	}
	want := watch.Provenance{Source: "aguacates-origin", Ledger: "fabric", Channel: p.net.Channel, Chaincode: p.net.PartnerChaincode,
		Event: "OriginCertified", TxID: tx1, Block: startBlock}
	if prov != want || first.Partner != "aguacates" || first.Data.Source != "aguacates-origin" || first.Data.Ledger != "fabric" {
		t.Fatalf("first observed %+v, provenance %+v, want %+v", first, prov, want)
	}
	// The stored record is the mapped, validated certificate with its provenance.
	var rec struct {
		Record struct {
			Type      string `json:"type"`
			Agreement string `json:"agreement"`
			Goods     []struct {
				HSCode string `json:"hsCode"`
			} `json:"goods"`
			Extensions map[string]json.RawMessage `json:"extensions"`
		} `json:"record"`
	}
	if code := getJSON(t, "GET", "http://"+addr+"/v1/records/"+first.Subject, k.officer, &rec); code != 200 {
		t.Fatalf("GET record: %d", code)
	}
	if rec.Record.Type != "CertificateOfOrigin" || rec.Record.Agreement != "USMCA" || rec.Record.Goods[0].HSCode != "08044001" ||
		string(rec.Record.Extensions["mx.aguacates-mich:certNo"]) != strconv.Quote(p.certNo(1)) ||
		!strings.Contains(string(rec.Record.Extensions[watch.ProvenanceKey]), tx1) {
		t.Fatalf("record %+v", rec.Record)
	}
	// The exporter's own client sees its records.
	for _, e := range readUntil(t, exporter, 30*time.Second, func(e []streamed) bool { return len(e) >= 2 }) {
		if e.Partner != "aguacates" || e.RecordType != "CertificateOfOrigin" {
			t.Fatalf("exporter stream %+v", e)
		}
	}

	// Both failures are visible dead letters with the native payload.
	var dls []deadLetter
	deadline := time.Now().Add(60 * time.Second)
	for len(dls) < 2 && time.Now().Before(deadline) {
		dls = deadLetters(t, addr, k.officer, "state=open")
		time.Sleep(100 * time.Millisecond)
	}
	byKey := map[string]deadLetter{}
	for _, d := range dls {
		byKey[d.Key] = d
	}
	dotted, cancelled := byKey[tx2], byKey[txCancel]
	if len(dls) != 2 || !strings.Contains(string(dotted.Payload), `"fraccion":"0804.40.01"`) || dotted.Error == "" {
		t.Fatalf("dead letters %+v", dls)
	}
	if !strings.Contains(cancelled.Error, "not JSON") || !strings.Contains(string(cancelled.Payload), "CANCELADO|"+p.certNo(1)+"|error en el domicilio") {
		t.Fatalf("cancellation dead letter %+v", cancelled)
	}
	if err := json.Unmarshal(cancelled.Provenance, &prov); err != nil || prov.Event != "OriginCancelled" || prov.Block != cancelBlock {
		t.Fatalf("cancellation provenance %+v %v", prov, err)
	}
	// Retrying with the same mapping fails again and the item stays open.
	if code := getJSON(t, "POST", fmt.Sprintf("http://%s/v1/deadletters/%d/retry", addr, dotted.ID), k.admin, nil); code != 422 {
		t.Fatalf("retry with the broken mapping: %d", code)
	}
	// The checkpoint is past the cancellation before the stop.
	waitCheckpoint(t, addr, k.officer, cancelBlock)
	lastSeq := got[len(got)-1].Sequence
	gw.stop()

	tx4, _ := p.certify(t, 4, "08044001") // while the gateway is down

	cfg2, _ := fabricGatewayConfig(t, dir, p, startBlock, "testdata/originreg-fixed.jq")
	cfg2.Accounts = cfg.Accounts
	gw2 := run(t, cfg2)
	addr = gw2.g.Addr()
	officer2 := dialStream(t, addr, k.officer, "type=org.ledgergate.record.observed&recordType=CertificateOfOrigin&after="+lastSeq)
	for _, d := range []deadLetter{dotted, cancelled} {
		var resolved struct {
			State string `json:"state"`
		}
		if code := getJSON(t, "POST", fmt.Sprintf("http://%s/v1/deadletters/%d/retry", addr, d.ID), k.admin, &resolved); code != 200 || resolved.State != "resolved" {
			t.Fatalf("retry %s with the fixed mapping: %d %+v", d.Key, code, resolved)
		}
	}
	tx5, lastBlock := p.certify(t, 5, "0804.50.01") // the fixed mapping takes dots too
	after := readUntil(t, officer2, 90*time.Second, func(e []streamed) bool { return countType(e, events.TypeObserved) >= 3 })
	seen := map[string]bool{}
	for _, e := range got {
		seen[e.Subject] = true
	}
	txs := map[string]bool{}
	for _, e := range after {
		if e.Type == events.TypeStreamGap {
			continue // the previous process's ring is gone: reported, not hidden
		}
		if seen[e.Subject] {
			t.Fatalf("observed twice across the restart: %+v", e)
		}
		seen[e.Subject] = true
		if err := json.Unmarshal(e.Data.Provenance, &prov); err != nil {
			t.Fatal(err)
		}
		txs[prov.TxID] = true
	}
	if len(seen) != 5 || !txs[tx2] || !txs[tx4] || !txs[tx5] {
		t.Fatalf("want certificates 1-5 once each (2 retried, 4 caught up, 5 new); got %d records, transactions %v", len(seen), txs)
	}
	// Nothing before the checkpoint was read again: a re-read cancellation
	// would have reopened its dead letter.
	waitCheckpoint(t, addr, k.officer, lastBlock)
	if open := deadLetters(t, addr, k.officer, "state=open"); len(open) != 0 {
		t.Fatalf("open dead letters after the retries: %+v", open)
	}
	for _, d := range deadLetters(t, addr, k.officer, "source=aguacates-origin") {
		if d.State != "resolved" || (d.Key == txCancel && d.Attempts != 1) {
			t.Fatalf("dead letter after the restart %+v", d)
		}
	}
}

// gatewayErrorText is a Gateway error with the peers' messages.
func gatewayErrorText(err error) string {
	msg := err.Error()
	if st, ok := status.FromError(err); ok {
		for _, d := range st.Details() {
			if ed, ok := d.(*gwproto.ErrorDetail); ok {
				msg += "; " + ed.GetMessage()
			}
		}
	}
	return msg
}

// waitCheckpoint waits until the source's stored checkpoint is at block
// or later.
func waitCheckpoint(t testing.TB, addr, key string, block uint64) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		var sources struct {
			Sources []watch.SourceStatus `json:"sources"`
		}
		if code := getJSON(t, "GET", "http://"+addr+"/v1/sources", key, &sources); code != 200 || len(sources.Sources) != 1 {
			t.Fatalf("sources: %d %+v", code, sources)
		}
		s := sources.Sources[0]
		var b uint64
		if _, err := fmt.Sscanf(s.Checkpoint, "fabric1:%d:", &b); err == nil && b >= block && s.Kind == "fabric" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("checkpoint %q (%s) did not reach block %d", s.Checkpoint, s.LastError, block)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestFabricSourceFiltersAndResumes drives the source itself on the test
// network: only the configured event names are mapped (the others are bare
// checkpoints), a payload that is not JSON is an error item, and a watch
// resumed from an event's checkpoint continues with the next event, none
// lost or repeated. The chaincode itself refuses writers other than the
// exporter's organization.
func TestFabricSourceFiltersAndResumes(t *testing.T) {
	p := startPartnerFabric(t)
	gw, closeFn, err := p.net.Connect("customs", client.WithEvaluateTimeout(30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()
	// Evaluated, not submitted: nothing is ordered as the customs user.
	_, err = gw.GetNetwork(p.net.Channel).GetContract(p.net.PartnerChaincode).Evaluate("Certify", client.WithArguments(p.certificate(9, "08044001")))
	if err == nil || !strings.Contains(gatewayErrorText(err), "access denied") {
		t.Fatalf("customs certifying through the exporter's chaincode: %v", err)
	}

	tx1, b1 := p.certify(t, 1, "08044001")
	txC, _ := p.cancel(t, 1, "duplicado")
	tx2, _ := p.certify(t, 2, "08044001")

	collect := func(src *watch.FabricSource, from adapters.Checkpoint, until string) []watch.Native {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		var out []watch.Native
		for n, err := range src.Watch(ctx, from) {
			if err != nil {
				t.Fatalf("watch: %v (after %+v)", err, out)
			}
			out = append(out, n)
			if strings.HasSuffix(string(n.Checkpoint), ":"+until) {
				return out
			}
		}
		t.Fatalf("watch ended before transaction %s: %+v", until, out)
		return nil
	}
	onlyCancel, err := watch.NewFabricSource(gw, watch.FabricConfig{Name: "cancellations", Channel: p.net.Channel, Chaincode: p.net.PartnerChaincode,
		Events: []string{"OriginCancelled"}, StartBlock: b1})
	if err != nil {
		t.Fatal(err)
	}
	ns := collect(onlyCancel, "", tx2)
	if len(ns) != 3 || ns[0].Key != "" || ns[2].Key != "" || ns[1].Key != txC {
		t.Fatalf("filtered watch: %+v", ns)
	}
	if !errors.Is(ns[1].Err, watch.ErrNotJSON) || ns[1].Provenance.Event != "OriginCancelled" || ns[1].Provenance.Chaincode != p.net.PartnerChaincode {
		t.Fatalf("cancellation %+v", ns[1])
	}
	if !strings.HasSuffix(string(ns[0].Checkpoint), ":"+tx1) {
		t.Fatalf("the skipped certification's checkpoint: %s", ns[0].Checkpoint)
	}

	all, err := watch.NewFabricSource(gw, watch.FabricConfig{Name: "all", Channel: p.net.Channel, Chaincode: p.net.PartnerChaincode, StartBlock: b1})
	if err != nil {
		t.Fatal(err)
	}
	resumed := collect(all, ns[0].Checkpoint, tx2)
	if len(resumed) != 2 || resumed[0].Key != txC || resumed[1].Key != tx2 || resumed[1].Err != nil {
		t.Fatalf("resumed after the first certification: %+v", resumed)
	}
	if c, ok := resumed[1].Payload.(map[string]any); !ok || c["certNo"] != p.certNo(2) || c["estado"] != "VIGENTE" {
		t.Fatalf("payload %#v", resumed[1].Payload)
	}
	for n, err := range all.Watch(context.Background(), "eth:1:*") {
		if err == nil {
			t.Fatalf("a foreign checkpoint was accepted: %+v", n)
		}
		break
	}
}

// cutProxy forwards TCP connections to a peer; cut drops every open
// connection and, while refusing, closes new ones at once: a peer
// restart or a network failure, as the source sees it.
type cutProxy struct {
	ln       net.Listener
	target   string
	mu       sync.Mutex
	conns    []net.Conn
	refuse   bool
	accepted int
}

func startCutProxy(t testing.TB, target string) *cutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln, target: target}
	t.Cleanup(func() { _ = ln.Close(); p.cut(true) })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			if p.refuse {
				p.mu.Unlock()
				_ = c.Close()
				continue
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				p.mu.Unlock()
				_ = c.Close()
				continue
			}
			p.accepted++
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(up, c); _ = up.Close() }()
			go func() { _, _ = io.Copy(c, up); _ = c.Close() }()
		}
	}()
	return p
}

func (p *cutProxy) addr() string { return p.ln.Addr().String() }

func (p *cutProxy) cut(refuse bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refuse = refuse
	for _, c := range p.conns {
		_ = c.Close()
	}
	p.conns = nil
}

func (p *cutProxy) allow() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refuse = false
}

func (p *cutProxy) connections() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.accepted
}

// TestFabricSourceReconnects: the connection to the peer breaks and stays
// down for a while after the source has delivered an event; the source
// reconnects with backoff and continues with the next event, nothing
// lost or repeated. A peer that stays unreachable ends the watch with an
// error after the consecutive failures (the manager then records it and
// restarts the source from its checkpoint).
func TestFabricSourceReconnects(t *testing.T) {
	p := startPartnerFabric(t)
	customs, _ := p.net.Org("customs")
	proxy := startCutProxy(t, customs.PeerEndpoint)
	cfg := customs.Config()
	cfg.Endpoint, cfg.ServerName = proxy.addr(), "" // the peer's TLS certificate names 127.0.0.1
	gw, closeFn, err := fabric.Connect(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()

	tx1, b1 := p.certify(t, 1, "08044001")
	src, err := watch.NewFabricSource(gw, watch.FabricConfig{Name: "reconnects", Channel: p.net.Channel, Chaincode: p.net.PartnerChaincode,
		StartBlock: b1, MaxBackoff: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	var keys []string
	var tx2 string
	for n, err := range src.Watch(ctx, "") {
		if err != nil {
			t.Fatalf("watch: %v (after %v)", err, keys)
		}
		keys = append(keys, n.Key)
		if n.Key == tx1 {
			proxy.cut(true) // down for a second, while the partner writes the next certificate
			time.AfterFunc(time.Second, proxy.allow)
			tx2, _ = p.certify(t, 2, "08044001")
		}
		if n.Key == tx2 && tx2 != "" {
			break
		}
	}
	if len(keys) != 2 || keys[0] != tx1 || keys[1] != tx2 || proxy.connections() < 2 {
		t.Fatalf("events across the outage %v (want %s then %s), %d connections", keys, tx1, tx2, proxy.connections())
	}

	// Unreachable for good: after the consecutive failures the watch ends
	// with the Gateway's error.
	proxy.cut(true)
	start := time.Now()
	var werr error
	for _, err := range src.Watch(ctx, "") {
		if err != nil {
			werr = err
			break
		}
	}
	if !errors.Is(werr, adapters.ErrUnavailable) || !strings.Contains(werr.Error(), "source reconnects") || !strings.Contains(werr.Error(), "failed attempts") {
		t.Fatalf("unreachable peer: %v after %s", werr, time.Since(start))
	}
	t.Logf("unreachable peer reported after %s: %v", time.Since(start).Round(time.Millisecond), werr)
}
