// Package demo runs `ledgergate demo`: a gateway on SQLite with an
// in-process Ethereum chain (served over JSON-RPC on 127.0.0.1) and an
// in-process customs archive ledger, three sample partners pushing sample
// records of every type through the HTTP API, and a printed tour.
package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/ethereum"
	"github.com/ledgergate/ledgergate/gateway/api"
	"github.com/ledgergate/ledgergate/gateway/auth"
	"github.com/ledgergate/ledgergate/gateway/routing"
	"github.com/ledgergate/ledgergate/gateway/server"
	"github.com/ledgergate/ledgergate/internal/config"
	"github.com/ledgergate/ledgergate/internal/devchain"
	"github.com/ledgergate/ledgergate/schema"
)

// Options configure the demo.
type Options struct {
	Dir     string // where the SQLite store goes (default: a new temp dir)
	Listen  string // API address (default 127.0.0.1:8080)
	RPCAddr string // Ethereum JSON-RPC address (default 127.0.0.1:8545)
	// FactomAddr serves the embedded Factom-protocol node's v2 API
	// (default 127.0.0.1:8088; ":0" picks a free port).
	FactomAddr string
	// Exit stops the demo once every record is confirmed (for scripts and
	// tests) instead of serving until interrupted.
	Exit      bool
	BlockTime time.Duration // Ethereum block time (default 1s)
	// FabricConnection is testnet/fabric's connection file; when it names
	// a reachable network, certificates of origin and IP records also go
	// to Fabric. Default: where testnet/fabric/up.sh writes it.
	FabricConnection string
	// NoFabric leaves Fabric out even when its test network is up.
	NoFabric bool
	// Ready, if set, is called once every record is confirmed.
	Ready func(Info)
}

// Info describes a running demo.
type Info struct {
	API        string // base URL of the gateway
	OfficerKey string
	RPC        string // Ethereum JSON-RPC URL
	Registry   string // RecordRegistry address
	Factom     string // the embedded Factom node's v2 API URL
	RecordIDs  []string
}

// partner is a sample trade partner and the record types it sends.
type partner struct {
	id, issuer, name string
	types            []string
	key              string
}

var partners = []*partner{
	{id: "north-steel", issuer: "did:web:northsteel.example", name: "North Steel Ltd. (exporter)",
		types: []string{schema.TypeCertificateOfOrigin, schema.TypeCommercialInvoice, schema.TypeBillOfLading}},
	{id: "brightsound", issuer: "did:web:brightsound.example", name: "BrightSound Audio Inc. (IP owner)",
		types: []string{schema.TypeIPRRight, schema.TypeIPRLicense}},
	{id: "border-ops", issuer: "did:web:border-ops.example", name: "Border operations (post, sensors, assets)",
		types: []string{schema.TypePostalItemEvent, schema.TypeSensorReading, schema.TypeAssetEvent}},
}

// Run runs the demo, printing the tour to out, until ctx ends (or, with
// Exit, until every record is confirmed).
func Run(ctx context.Context, o Options, out io.Writer) error {
	if o.Listen == "" {
		o.Listen = "127.0.0.1:8080"
	}
	if o.RPCAddr == "" {
		o.RPCAddr = "127.0.0.1:8545"
	}
	if o.FactomAddr == "" {
		o.FactomAddr = "127.0.0.1:8088"
	}
	if o.Dir == "" {
		d, err := os.MkdirTemp("", "ledgergate-demo-")
		if err != nil {
			return err
		}
		o.Dir = d
	}
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return err
	}
	fmt.Fprintf(out, "ledgergate demo\n\nstarting an in-process Ethereum chain ...\n")
	chain, err := devchain.Start(devchain.Options{BlockTime: o.BlockTime, RPCAddr: o.RPCAddr})
	if err != nil {
		return fmt.Errorf("ethereum dev chain: %w (is %s taken? use --rpc 127.0.0.1:0)", err, o.RPCAddr)
	}
	defer chain.Close()
	dctx, cancel := context.WithTimeout(ctx, time.Minute)
	eth, err := ethereum.Deploy(dctx, chain.Client(), ethereum.WithKey(chain.Key), ethereum.WithLedgerName("public-chain"))
	cancel()
	if err != nil {
		return fmt.Errorf("deploy the record registry: %w", err)
	}

	officerKey, officerHash := auth.NewKey()
	accounts := []auth.Account{{ID: "cbp-officer", Role: auth.RoleOfficer, APIKeyHashes: []string{officerHash}}}
	for _, p := range partners {
		key, hash := auth.NewKey()
		p.key = key
		accounts = append(accounts, auth.Account{ID: p.id, Role: auth.RolePartner, Issuer: p.issuer, APIKeyHashes: []string{hash}})
	}
	factomAddr, err := freeAddr(o.FactomAddr)
	if err != nil {
		return fmt.Errorf("factom node address: %w", err)
	}
	blockTime := o.BlockTime
	if blockTime <= 0 {
		blockTime = time.Second
	}
	cfg := &config.Config{
		Listen: o.Listen,
		Store:  config.Store{Driver: "sqlite", DSN: filepath.Join(o.Dir, "ledgergate.db")},
		Ledgers: []config.Ledger{
			{Name: "customs-archive", Kind: "memory"},
			{Name: "border-anchor", Kind: "factom", Namespace: "demo",
				Embedded: &config.EmbeddedNode{DataDir: filepath.Join(o.Dir, "factom"), Listen: factomAddr, BlockTime: blockTime}},
		},
		Routes: []routing.Route{
			// A public chain sees digests only; the customs archive holds full records;
			// border events and sensor readings are anchored on the Factom-style chain.
			{Name: "anchor-everything", Targets: []routing.Target{{Ledger: "public-chain", Disclosure: adapters.DisclosureDigest}}},
			{Name: "archive-everything", Targets: []routing.Target{{Ledger: "customs-archive", Disclosure: adapters.DisclosureFull}}},
			{Name: "border-integrity", Types: []string{schema.TypeSensorReading, schema.TypePostalItemEvent, schema.TypeAssetEvent},
				Targets: []routing.Target{{Ledger: "border-anchor", Disclosure: adapters.DisclosureDigest}}},
		},
		Accounts: accounts,
		Log:      config.Log{Level: "warn", Format: "text"},
	}
	fabricNote := "not running (start it with testnet/fabric/up.sh to include it)"
	if o.FabricConnection == "" {
		o.FabricConnection = defaultFabricConnection()
	}
	if fl, ok := fabricLedger(o.FabricConnection); ok && !o.NoFabric {
		cfg.Ledgers = append(cfg.Ledgers, fl)
		cfg.Routes = append(cfg.Routes, routing.Route{Name: "trade-documents-on-fabric",
			Types:   []string{schema.TypeCertificateOfOrigin, schema.TypeCommercialInvoice, schema.TypeIPRRight, schema.TypeIPRLicense},
			Targets: []routing.Target{{Ledger: fl.Name, Disclosure: adapters.DisclosureFull}}})
		fabricNote = "customs-fabric (the Fabric test network, channel " + fl.Channel + ")"
	} else if o.NoFabric {
		fabricNote = "left out (--no-fabric)"
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if os.Getenv("LEDGERGATE_DEMO_LOG") != "" {
		logger = server.NewLogger(config.Log{Level: "info", Format: "text"}, os.Stderr)
	}
	g, err := server.New(ctx, cfg, server.WithLedger("public-chain", "ethereum", eth), server.WithLogger(logger))
	if err != nil {
		return err
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	runErr := make(chan error, 1)
	go func() { runErr <- g.Run(runCtx) }()
	select {
	case <-g.Started():
	case err := <-runErr:
		return err
	}
	base := "http://" + g.Addr()
	fmt.Fprintf(out, "gateway on %s (store %s)\nledgers: public-chain (Ethereum, in process), customs-archive (in-memory), border-anchor (embedded Factom-protocol node, v2 API http://%s/v2)\nFabric: %s\n\n", base, cfg.Store.DSN, factomAddr, fabricNote)

	ids, err := push(ctx, base, out)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nwaiting for every record to be confirmed on its ledgers ...\n")
	if err := waitConfirmed(ctx, base, officerKey, ids, 2*time.Minute); err != nil {
		return err
	}
	if err := summary(ctx, base, officerKey, out); err != nil {
		return err
	}
	tour(out, base, officerKey, chain.RPC, eth, ids[0], factomAddr)
	if o.Ready != nil {
		o.Ready(Info{API: base, OfficerKey: officerKey, RPC: chain.RPC, Registry: eth.Registry().Hex(), Factom: "http://" + factomAddr + "/v2", RecordIDs: ids})
	}
	if o.Exit {
		stop()
		return <-runErr
	}
	fmt.Fprintf(out, "\nserving until Ctrl-C ...\n")
	select {
	case <-ctx.Done():
		stop()
		return <-runErr
	case err := <-runErr:
		return err
	}
}

// push sends every shipped example of each partner's types, rewritten to
// the partner's issuer, through the API.
func push(ctx context.Context, base string, out io.Writer) ([]string, error) {
	var ids []string
	for _, p := range partners {
		fmt.Fprintf(out, "%s (%s) submits:\n", p.name, p.id)
		for _, typ := range p.types {
			for _, variant := range []string{"complete", "minimal"} {
				data, err := schema.ExampleOf(typ, variant)
				if err != nil {
					return nil, err
				}
				var doc map[string]any
				if err := json.Unmarshal(data, &doc); err != nil {
					return nil, err
				}
				iss := doc["issuer"].(map[string]any)
				iss["id"] = p.issuer
				delete(doc, "supersedes")
				body, _ := json.Marshal(doc)
				var acc api.AcceptedView
				code, err := call(ctx, "POST", base+"/v1/records", p.key, body, &acc)
				if err != nil {
					return nil, fmt.Errorf("%s submitting %s: %w", p.id, typ, err)
				}
				if code != http.StatusAccepted && code != http.StatusOK {
					return nil, fmt.Errorf("%s submitting %s: HTTP %d", p.id, typ, code)
				}
				fmt.Fprintf(out, "  %-20s %-8s %s -> %s\n", typ, variant, acc.ID, strings.Join(acc.Ledgers, ", "))
				ids = append(ids, acc.ID)
			}
		}
	}
	return ids, nil
}

func call(ctx context.Context, method, url, key string, body []byte, into any) (int, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+key)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, err
	}
	if res.StatusCode >= 300 {
		return res.StatusCode, fmt.Errorf("HTTP %d: %s", res.StatusCode, b)
	}
	if into != nil {
		return res.StatusCode, json.Unmarshal(b, into)
	}
	return res.StatusCode, nil
}

func waitConfirmed(ctx context.Context, base, key string, ids []string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		pending := 0
		for _, id := range ids {
			var v api.RecordView
			if _, err := call(ctx, "GET", base+"/v1/records/"+id, key, nil, &v); err != nil {
				return err
			}
			switch v.Status {
			case api.StatusConfirmed:
			case api.StatusFailed:
				return fmt.Errorf("record %s failed: %+v", id, v.Ledgers)
			default:
				pending++
			}
		}
		if pending == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return errors.New("records not confirmed in time")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

func summary(ctx context.Context, base, key string, out io.Writer) error {
	var l api.ListView
	if _, err := call(ctx, "GET", base+"/v1/records?limit=100", key, nil, &l); err != nil {
		return err
	}
	fmt.Fprintf(out, "\n%d records, all confirmed:\n", len(l.Items))
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  TYPE\tISSUER\tSTATUS\tDIGEST")
	for _, it := range l.Items {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", it.Type, it.Issuer, it.Status, it.Digest)
	}
	return tw.Flush()
}

// freeAddr resolves "host:0" to a free port on a loopback address.
func freeAddr(addr string) (string, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func tour(out io.Writer, base, officerKey, rpc string, eth *ethereum.Adapter, id, factomAddr string) {
	fmt.Fprintf(out, `
What to try (keys are valid while the demo runs):

  export LEDGERGATE_URL=%s
  export LEDGERGATE_API_KEY=%s   # the customs officer (reads everything)

  ledgergate list --type CertificateOfOrigin
  ledgergate get %s
  curl -s -H "Authorization: Bearer $LEDGERGATE_API_KEY" "$LEDGERGATE_URL/v1/records?hsCode=7213" | jq
  curl -s "$LEDGERGATE_URL/openapi.yaml" | head
  curl -s "$LEDGERGATE_URL/metrics" | grep ledgergate_

The public chain holds digests only. Check one without the gateway:
  Ethereum JSON-RPC:      %s   (chain id %s)
  RecordRegistry address: %s
  curl -s -X POST -H 'Content-Type: application/json' %s \
    --data '{"jsonrpc":"2.0","id":1,"method":"eth_getLogs","params":[{"fromBlock":"0x0","address":"%s"}]}'

Border events and sensor readings are anchored on the embedded Factom-protocol node:
  curl -s -X POST http://%s/v2 --data '{"jsonrpc":"2.0","id":1,"method":"heights"}'

Partner keys (submit records as that partner):
`, base, officerKey, id, rpc, eth.ChainID(), eth.Registry().Hex(), rpc, eth.Registry().Hex(), factomAddr)
	for _, p := range partners {
		fmt.Fprintf(out, "  %-12s %s   issuer %s\n", p.id, p.key, p.issuer)
	}
}
