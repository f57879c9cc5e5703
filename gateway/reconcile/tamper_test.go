package reconcile_test

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/ethereum"
	"github.com/ledgergate/ledgergate/adapters/ethereum/registry"
	"github.com/ledgergate/ledgergate/adapters/factom"
	"github.com/ledgergate/ledgergate/adapters/factom/client"
	fnode "github.com/ledgergate/ledgergate/adapters/factom/node"
	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
	"github.com/ledgergate/ledgergate/adapters/memory"
	"github.com/ledgergate/ledgergate/gateway/reconcile"
	"github.com/ledgergate/ledgergate/schema"
)

// simChain is go-ethereum's simulated chain sealing a block every few
// milliseconds, with two funded accounts: the gateway's and another
// writer's.
type simChain struct {
	sim       *simulated.Backend
	gw, other *ecdsa.PrivateKey
}

func newSimChain(t *testing.T) *simChain {
	t.Helper()
	gw, _ := crypto.GenerateKey()
	other, _ := crypto.GenerateKey()
	funds := new(big.Int).Exp(big.NewInt(10), big.NewInt(24), nil)
	sim := simulated.NewBackend(types.GenesisAlloc{
		crypto.PubkeyToAddress(gw.PublicKey): {Balance: funds}, crypto.PubkeyToAddress(other.PublicKey): {Balance: funds},
	}, func(_ *node.Config, c *ethconfig.Config) { c.LogNoHistory = true })
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tk := time.NewTicker(10 * time.Millisecond)
		defer tk.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tk.C:
				sim.Commit()
			}
		}
	}()
	t.Cleanup(func() { close(stop); <-done; sim.Close() })
	return &simChain{sim: sim, gw: gw, other: other}
}

// factomNode is the embedded Factom node serving its v2 API on 127.0.0.1.
func factomNode(t *testing.T) (*client.Client, protocol.ECKey, protocol.ECKey) {
	t.Helper()
	gwKey, _ := protocol.GenerateECKey()
	otherKey, _ := protocol.GenerateECKey()
	n, err := fnode.New(t.TempDir(), fnode.WithFunds(gwKey.Public(), 1_000_000), fnode.WithFunds(otherKey.Public(), 1_000_000))
	if err != nil {
		t.Fatal(err)
	}
	url, stop, err := n.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return client.New(url), gwKey, otherKey
}

// TestTamperOnEveryLedger writes records through the gateway to an
// Ethereum registry (full disclosure), a Factom node (redacted) and a
// memory ledger (digest), then alters one record on each ledger directly,
// bypassing the gateway, and checks the reconciler reports the right
// ledger, record and fields.
func TestTamperOnEveryLedger(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a simulated chain and a Factom node")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	chain := newSimChain(t)
	eth, err := ethereum.Deploy(ctx, chain.sim.Client(), ethereum.WithKey(chain.gw), ethereum.WithPollInterval(5*time.Millisecond), ethereum.WithConfirmations(1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eth.Close() })
	fc, fkey, otherKey := factomNode(t)
	const ns = "tamper-test"
	fct, err := factom.New(ctx, fc, factom.WithECKey(fkey), factom.WithNamespace(ns), factom.WithPollInterval(5*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fct.Close() })
	mem := memory.NewLedger()
	g := newGateway(t, [3]string{"eth", "factom", "memory"}, [3]adapters.Adapter{eth, fct, memory.New(mem)})

	recs := make([]*schema.Record, 4)
	for i := range recs {
		recs[i] = sensor(t, "", "10"+string(rune('0'+i)), "")
		g.submit(t, recs[i])
	}
	g.relay(t)
	if rep := g.run(t, reconcile.Options{}); rep.RecordVerdicts[reconcile.Consistent] != 4 {
		t.Fatalf("before tampering: %+v", rep)
	}

	// (a) Ethereum: another account, granted writing by the registry's
	// owner, writes a successor of recs[0] with another value.
	docA := sensorDoc(t, recs[0].ID, "666", recs[0].Digest)
	forgedA := sensorFromDoc(t, docA)
	reg := registry.NewRecordRegistry()
	bound := reg.Instance(chain.sim.Client(), eth.Registry())
	chainID := big.NewInt(1337)
	if id, err := chain.sim.Client().ChainID(ctx); err == nil {
		chainID = id
	}
	send := func(key *ecdsa.PrivateKey, data []byte) {
		t.Helper()
		tx, err := bind.Transact(bound, bind.NewKeyedTransactor(key, chainID), data)
		if err != nil {
			t.Fatal(err)
		}
		rc, err := bind.WaitMined(ctx, chain.sim.Client(), tx.Hash())
		if err != nil || rc.Status != 1 {
			t.Fatalf("tx %s: %v, status %v", tx.Hash(), err, rc)
		}
	}
	send(chain.gw, reg.PackSetWriter(crypto.PubkeyToAddress(chain.other.PublicKey), true))
	dA, _ := ethereum.DigestWord(forgedA.Digest)
	sA, _ := ethereum.DigestWord(recs[0].Digest)
	send(chain.other, reg.PackWrite(recs[0].ID, recs[0].Type, issuer, dA, sA, 1, forgedA.Canonical))

	// (b) Factom: an entry for recs[1] with other content, written
	// straight to the node with another entry-credit key.
	docB := sensorDoc(t, recs[1].ID, "101", recs[1].Digest)
	docB["sensorType"] = "temperature"
	forgedB := sensorFromDoc(t, docB)
	pl, err := adapters.Prepare(nil, forgedB, adapters.Policy{Disclosure: adapters.DisclosureRedacted, PublicFields: redactedFields}, 0)
	if err != nil {
		t.Fatal(err)
	}
	e := &protocol.Entry{
		ChainID: factom.ChainFor(ns, issuer, recs[1].Type).ChainID,
		ExtIDs: [][]byte{[]byte("ledgergate:record:v1"), []byte(recs[1].Type), []byte(recs[1].ID), []byte(forgedB.Digest),
			[]byte(recs[1].Digest), []byte(adapters.DisclosureRedacted), []byte(issuer)},
		Content: pl.Content,
	}
	ce, err := protocol.NewCommitEntry(e, otherKey, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fc.CommitEntry(ctx, ce); err != nil {
		t.Fatal(err)
	}
	if _, err := fc.RevealEntry(ctx, e); err != nil {
		t.Fatal(err)
	}

	// (c) memory: the digest ledger holds an unknown digest for recs[2].
	mem.Tamper(adapters.Entry{RecordID: recs[2].ID, Type: recs[2].Type, Issuer: issuer, Digest: schema.DigestOf([]byte("x")), Disclosure: adapters.DisclosureDigest})

	// Wait until the Factom entry is in a block the adapter has read.
	for {
		got, err := fct.Read(ctx, recs[1].ID)
		if err == nil && got.Digest == forgedB.Digest {
			break
		}
		if ctx.Err() != nil {
			t.Fatal("the forged Factom entry never became the head")
		}
		time.Sleep(10 * time.Millisecond)
	}

	rep := g.run(t, reconcile.Options{})
	if rep.RecordVerdicts[reconcile.Divergent] != 3 || rep.RecordVerdicts[reconcile.Consistent] != 1 || len(rep.Findings) != 3 {
		t.Fatalf("after tampering: %+v", rep)
	}
	fa := findings(rep, recs[0].ID)
	if f := fa["eth"]; len(fa) != 1 || f.Verdict != reconcile.Divergent || f.Version != reconcile.VersionNewer || f.Found != forgedA.Digest ||
		fieldPointers(f)["/value"] != [2]string{`"100"`, `"666"`} || fieldPointers(f)["/supersedes"][1] == "" {
		t.Fatalf("ethereum tamper: %+v", fa)
	}
	fb := findings(rep, recs[1].ID)
	if f := fb["factom"]; len(fb) != 1 || f.Verdict != reconcile.Divergent || f.Version != reconcile.VersionNewer || f.Found != forgedB.Digest ||
		fieldPointers(f)["/sensorType"] != [2]string{`"radiation"`, `"temperature"`} {
		t.Fatalf("factom tamper: %+v", fb)
	}
	if _, has := fieldPointers(fb["factom"])["/value"]; has {
		t.Fatalf("factom holds a redacted copy without value; it must not be compared: %+v", fb["factom"].Fields)
	}
	fcm := findings(rep, recs[2].ID)
	if f := fcm["memory"]; len(fcm) != 1 || f.Verdict != reconcile.Divergent || !strings.Contains(f.Reason, "digest mismatch") {
		t.Fatalf("memory tamper: %+v", fcm)
	}
}
