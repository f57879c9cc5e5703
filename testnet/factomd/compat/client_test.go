package compat

import (
	"context"
	"encoding/hex"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/FactomProject/factom"

	"github.com/ledgergate/ledgergate/adapters/factom/node"
	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
)

// TestOfficialClient drives a ledger with the official Go client
// (github.com/FactomProject/factom v0.4.0): the embedded node always, and
// a real factomd when it is available. The client keeps its server in a
// package variable, so the subtests run one after the other.
func TestOfficialClient(t *testing.T) {
	t.Run("embedded", func(t *testing.T) {
		key, _ := protocol.GenerateECKey()
		n, err := node.New(t.TempDir(), node.WithFunds(key.Public(), 1000))
		if err != nil {
			t.Fatal(err)
		}
		defer n.Close()
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- n.Serve(ctx, l) }()
		defer func() { cancel(); <-done }()
		officialClientSession(t, l.Addr().String(), key)
	})
	t.Run("factomd", func(t *testing.T) {
		n, key := factomd(t)
		officialClientSession(t, strings.TrimSuffix(strings.TrimPrefix(n.URL, "http://"), "/v2"), key)
	})
}

func officialClientSession(t *testing.T, hostport string, key protocol.ECKey) {
	factom.SetFactomdServer(hostport)
	factom.SetWalletServer(hostport) // GetProperties asks a wallet too; there is none
	factom.SetFactomdTimeout(30 * time.Second)
	ec, err := factom.GetECAddress(key.Secret())
	if err != nil {
		t.Fatal(err)
	}
	if ec.String() != key.Public().String() {
		t.Fatalf("the client reads %s as %s; ledgergate as %s", key.Secret(), ec.String(), key.Public())
	}
	balance, err := factom.GetECBalance(ec.String())
	if err != nil || balance < 20 {
		t.Fatalf("GetECBalance = %d, %v", balance, err)
	}
	if rate, err := factom.GetECRate(); err != nil || rate == 0 {
		t.Fatalf("GetECRate = %d, %v", rate, err)
	}

	// A chain, with the client's own commit composition and signature.
	first := factom.NewEntryFromStrings("", "official client: first entry", "ledgergate", "official-client", time.Now().String())
	chain := factom.NewChain(first)
	if chain.ChainID != protocol.ChainIDOf(first.ExtIDs...).String() {
		t.Fatalf("chain id: the client says %s, ledgergate %s", chain.ChainID, protocol.ChainIDOf(first.ExtIDs...))
	}
	if _, err := factom.CommitChain(chain, ec); err != nil {
		t.Fatalf("CommitChain: %v", err)
	}
	if _, err := factom.RevealChain(chain); err != nil {
		t.Fatalf("RevealChain: %v", err)
	}
	waitConfirmed(t, hex.EncodeToString(first.Hash()), chain.ChainID)

	second := factom.NewEntryFromStrings(chain.ChainID, "official client: second entry", "x", "y")
	txid, err := factom.CommitEntry(second, ec)
	if err != nil {
		t.Fatalf("CommitEntry: %v", err)
	}
	if _, err := factom.RevealEntry(second); err != nil {
		t.Fatalf("RevealEntry: %v", err)
	}
	eh := hex.EncodeToString(second.Hash())
	waitConfirmed(t, eh, chain.ChainID)
	if st, err := factom.EntryCommitACK(txid, ""); err != nil || st.CommitData.Status != "DBlockConfirmed" {
		t.Fatalf("EntryCommitACK(%s) = %+v, %v", txid, st, err)
	}

	got, err := factom.GetEntry(eh)
	if err != nil {
		t.Fatalf("GetEntry: %v", err)
	}
	if string(got.Content) != "official client: second entry" || len(got.ExtIDs) != 2 || hex.EncodeToString(got.Hash()) != eh {
		t.Fatalf("GetEntry = %+v", got)
	}
	head, inPL, err := factom.GetChainHead(chain.ChainID)
	if err != nil || head == "" {
		t.Fatalf("GetChainHead = %q %v %v", head, inPL, err)
	}
	all, err := factom.GetAllChainEntries(chain.ChainID)
	if err != nil || len(all) != 2 || hex.EncodeToString(all[1].Hash()) != eh {
		t.Fatalf("GetAllChainEntries = %d entries, %v", len(all), err)
	}
	r, err := factom.GetReceipt(eh)
	if err != nil || r.DirectoryBlockKeyMR == "" || r.EntryBlockKeyMR == "" || len(r.MerkleBranch) == 0 {
		t.Fatalf("GetReceipt = %+v, %v", r, err)
	}
	// The client's receipt verifies with ledgergate's verifier.
	pr := &protocol.Receipt{}
	for _, n := range r.MerkleBranch {
		l, _ := protocol.ParseHash(n.Left)
		rt, _ := protocol.ParseHash(n.Right)
		tp, _ := protocol.ParseHash(n.Top)
		pr.MerkleBranch = append(pr.MerkleBranch, protocol.MerkleNode{Left: &l, Right: &rt, Top: &tp})
	}
	ebk, _ := protocol.ParseHash(r.EntryBlockKeyMR)
	dbk, _ := protocol.ParseHash(r.DirectoryBlockKeyMR)
	pr.EntryBlockKeyMR, pr.DirectoryBlockKeyMR = &ebk, &dbk
	h, _ := protocol.ParseHash(eh)
	if cid, err := pr.Verify(h); err != nil || cid.String() != chain.ChainID {
		t.Fatalf("the receipt does not verify: %v (chain %s)", err, cid)
	}

	heights, err := factom.GetHeights()
	if err != nil || heights.DirectoryBlockHeight < 1 {
		t.Fatalf("GetHeights = %+v, %v", heights, err)
	}
	db, err := factom.GetDBlockByHeight(heights.DirectoryBlockHeight)
	if err != nil || db.KeyMR == "" || len(db.DBEntries) < 3 {
		t.Fatalf("GetDBlockByHeight = %+v, %v", db, err)
	}
	again, err := factom.GetDBlock(db.KeyMR)
	if err != nil || again.KeyMR != db.KeyMR {
		t.Fatalf("GetDBlock(%s) = %+v, %v", db.KeyMR, again, err)
	}
	props, _ := factom.GetProperties()
	if props == nil || props.FactomdAPIVersion != "2.0" {
		t.Fatalf("GetProperties = %+v", props)
	}
	after, err := factom.GetECBalance(ec.String())
	if err != nil || balance-after != 12 {
		t.Fatalf("balance went from %d to %d (%v); a chain and an entry cost 11 + 1", balance, after, err)
	}
}

func waitConfirmed(t *testing.T, entryHash, chainID string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		st, err := factom.EntryRevealACK(entryHash, "", chainID)
		if err == nil && st.EntryData.Status == "DBlockConfirmed" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("entry %s not confirmed: %+v %v", entryHash, st, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
