package reconcile_test

import (
	"context"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/fabric"
	"github.com/ledgergate/ledgergate/adapters/fabric/fabrictest"
	"github.com/ledgergate/ledgergate/adapters/memory"
	"github.com/ledgergate/ledgergate/gateway/reconcile"
	"github.com/ledgergate/ledgergate/schema"
)

// TestTamperOnFabric: the gateway writes full records to the real Fabric
// test network (as the customs org's admin, so the adapter conformance
// run's write count, which follows the customs user, is not disturbed);
// then the partner org overwrites one record's world state with its own
// version, straight through the chaincode, bypassing the gateway. The
// reconciler must name the Fabric ledger, the record and the field.
func TestTamperOnFabric(t *testing.T) {
	n := fabrictest.Need(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	customs, _ := n.Org("customs")
	cfg := customs.Config()
	cfg.CertPath, cfg.KeyPath = customs.AdminCert, customs.AdminKey
	gwFabric, err := fabric.Dial(ctx, cfg, fabric.WithChannel(n.Channel), fabric.WithChaincode(n.Chaincode))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { gwFabric.Close() })
	partner, err := n.Dial(ctx, "partner")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { partner.Close() })

	g := newGateway(t, [3]string{"fabric", "archive", "anchor"}, [3]adapters.Adapter{gwFabric, memory.New(memory.NewLedger()), memory.New(memory.NewLedger())})
	recs := []*schema.Record{sensor(t, "", "201", ""), sensor(t, "", "202", "")}
	for _, r := range recs {
		g.submit(t, r)
	}
	g.relay(t)
	if rep := g.run(t, reconcile.Options{}); rep.RecordVerdicts[reconcile.Consistent] != 2 {
		t.Fatalf("before tampering: %+v", rep)
	}

	// The partner org writes its own successor of recs[0] to the ledger.
	forged := sensorFromDoc(t, sensorDoc(t, recs[0].ID, "999", recs[0].Digest))
	if _, err := partner.Write(ctx, forged, adapters.Policy{Disclosure: adapters.DisclosureFull}); err != nil {
		t.Fatalf("partner overwrite: %v", err)
	}

	rep := g.run(t, reconcile.Options{})
	if rep.RecordVerdicts[reconcile.Divergent] != 1 || rep.RecordVerdicts[reconcile.Consistent] != 1 {
		t.Fatalf("after tampering: %+v", rep)
	}
	fs := findings(rep, recs[0].ID)
	f, ok := fs["fabric"]
	if len(fs) != 1 || !ok || f.Verdict != reconcile.Divergent || f.Version != reconcile.VersionNewer || f.Found != forged.Digest ||
		fieldPointers(f)["/value"] != [2]string{`"201"`, `"999"`} {
		t.Fatalf("fabric tamper: %+v", fs)
	}
}
