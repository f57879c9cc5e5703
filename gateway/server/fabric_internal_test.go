package server

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/fabric/fabrictest"
	"github.com/ledgergate/ledgergate/conformance"
	"github.com/ledgergate/ledgergate/internal/config"
	"github.com/ledgergate/ledgergate/internal/testenv"
	"github.com/ledgergate/ledgergate/schema"
)

// TestFabricLedgerFromConfig opens a fabric ledger from configuration
// fields against the running test network and reads through it (reads
// only: the adapter's conformance run counts the channel's writes).
func TestFabricLedgerFromConfig(t *testing.T) {
	conn, err := fabrictest.Load(fabrictest.DefaultPath())
	if err != nil {
		testenv.Need(t, "the Fabric test network (testnet/fabric/up.sh; make test starts it)", err)
	}
	org, ok := conn.Org("customs")
	if !ok {
		t.Fatal("no customs org in the connection file")
	}
	l := config.Ledger{Name: "customs-fabric", Kind: "fabric", Peer: org.PeerEndpoint, TLSCACert: org.TLSCACert,
		ServerName: org.PeerHostOverride, MSPID: org.MSPID, CertFile: org.UserCert, KeyFile: org.UserKey,
		Channel: conn.Channel, Chaincode: conn.Chaincode}
	cfg := &config.Config{Store: config.Store{DSN: "unused"}, Ledgers: []config.Ledger{l}}
	cfg.Defaults()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	a, closeFn, err := openLedger(ctx, l, schema.Default(), os.Getenv)
	if err != nil {
		testenv.Need(t, "the Fabric test network", err)
	}
	defer closeFn()
	defer a.Close()
	if _, err := a.Read(ctx, conformance.NewRecordID()); !errors.Is(err, adapters.ErrNotFound) {
		testenv.Need(t, "the Fabric test network", err)
	}
}
