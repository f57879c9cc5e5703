package verify_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/fabric/fabrictest"
	"github.com/ledgergate/ledgergate/gateway/verify"
	"github.com/ledgergate/ledgergate/internal/config"
)

// TestOpenFabricIndependently writes a record to the real Fabric test
// network as the partner org (the conformance run's write count follows
// the customs user), then verifies it from configuration alone as the
// customs org: the transaction, its block and its validation code.
func TestOpenFabricIndependently(t *testing.T) {
	n := fabrictest.Need(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	w, err := n.Dial(ctx, "partner")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	rec := reading(t, "", "7", "")
	if _, err := w.Write(ctx, rec, adapters.Policy{Disclosure: adapters.DisclosureDigest}); err != nil {
		t.Fatal(err)
	}
	o, _ := n.Org("customs")
	ls, _, closeAll, err := verify.Open(ctx, []config.Ledger{{Name: "customs-fabric", Kind: "fabric", Peer: o.PeerEndpoint, TLSCACert: o.TLSCACert,
		ServerName: o.PeerHostOverride, MSPID: o.MSPID, CertFile: o.UserCert, KeyFile: o.UserKey, Channel: n.Channel, Chaincode: n.Chaincode}})
	if err != nil {
		t.Fatal(err)
	}
	defer closeAll()
	res, err := verify.Check(ctx, ls, verify.Request{Record: rec.Canonical})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Verified || len(res.Ledgers) != 1 || !res.Ledgers[0].Found || res.Ledgers[0].Receipt == nil {
		t.Fatalf("fabric verification: %+v", res)
	}
	// A forged receipt is refused.
	forged := *res.Ledgers[0].Receipt
	forged.Block++
	res, err = verify.Check(ctx, ls, verify.Request{ID: rec.ID, Digest: rec.Digest, Receipts: []adapters.Receipt{forged}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verified || !strings.Contains(res.Summary+res.Ledgers[0].Detail, "block") {
		t.Fatalf("forged receipt accepted: %+v", res)
	}
}
