package server_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
	"github.com/ledgergate/ledgergate/gateway/api"
	"github.com/ledgergate/ledgergate/gateway/auth"
	"github.com/ledgergate/ledgergate/gateway/routing"
	"github.com/ledgergate/ledgergate/gateway/server"
	"github.com/ledgergate/ledgergate/internal/config"
	"github.com/ledgergate/ledgergate/internal/devchain"
	"github.com/ledgergate/ledgergate/schema"
)

// TestConfiguredLedgers builds a gateway whose ledgers come from the
// configuration alone (an Ethereum node over JSON-RPC with a key from the
// environment, and an embedded Factom node) and sees a record confirmed on
// both.
func TestConfiguredLedgers(t *testing.T) {
	chain, err := devchain.Start(devchain.Options{BlockTime: 50 * time.Millisecond, RPCAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer chain.Close()
	ecKey, _ := protocol.GenerateECKey()
	env := map[string]string{
		"LEDGERGATE_LEDGER_PUBLIC_CHAIN_KEY": hex.EncodeToString(crypto.FromECDSA(chain.Key)),
		"LEDGERGATE_LEDGER_ANCHOR_KEY":       ecKey.Secret(),
	}
	key, hash := auth.NewKey()
	dir := t.TempDir()
	cfg := &config.Config{
		Listen: freeAddr(t),
		Store:  config.Store{Driver: "sqlite", DSN: filepath.Join(dir, "lg.db")},
		Ledgers: []config.Ledger{
			{Name: "public-chain", Kind: "ethereum", RPC: chain.RPC, Deploy: true, Confirmations: 1},
			{Name: "anchor", Kind: "factom", Embedded: &config.EmbeddedNode{DataDir: filepath.Join(dir, "factom"), Listen: freeAddr(t), BlockTime: 50 * time.Millisecond}},
		},
		Routes: []routing.Route{{Name: "all", Targets: []routing.Target{
			{Ledger: "public-chain", Disclosure: adapters.DisclosureDigest},
			{Ledger: "anchor", Disclosure: adapters.DisclosureRedacted, PublicFields: []string{"sensorType"}},
		}}},
		Accounts: []auth.Account{{ID: "ops", Role: auth.RoleAdmin, APIKeyHashes: []string{hash}}},
		Log:      config.Log{Level: "error"},
	}
	g := runGateway(t, cfg, server.WithGetenv(func(k string) string { return env[k] }))

	body, _ := schema.ExampleOf(schema.TypeSensorReading, "minimal")
	call := func(method, path string, b []byte, into any) int {
		req, _ := http.NewRequest(method, "http://"+g.Addr()+path, bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if into != nil {
			_ = json.NewDecoder(res.Body).Decode(into)
		}
		return res.StatusCode
	}
	if code := call("POST", "/v1/records", body, nil); code != 202 {
		t.Fatalf("submit: %d", code)
	}
	deadline := time.Now().Add(60 * time.Second)
	var v api.RecordView
	for time.Now().Before(deadline) {
		v = api.RecordView{}
		call("GET", "/v1/records/urn:uuid:0a1b2c3d-4e5f-4061-8728-394a5b6c7d02", nil, &v)
		if v.Status == api.StatusConfirmed || v.Status == api.StatusFailed {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if v.Status != api.StatusConfirmed || len(v.Ledgers) != 2 {
		t.Fatalf("record on configured ledgers: %+v", v)
	}
	for _, l := range v.Ledgers {
		if l.Receipt == nil || l.Receipt.TxID == "" || l.Receipt.Network != l.Ledger {
			t.Fatalf("ledger %s receipt: %+v", l.Ledger, l.Receipt)
		}
	}
}
