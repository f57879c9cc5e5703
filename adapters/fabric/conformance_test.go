package fabric_test

import (
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/fabric"
	"github.com/ledgergate/ledgergate/adapters/fabric/fabrictest"
	"github.com/ledgergate/ledgergate/conformance"
)

// TestConformance runs the adapter kit against the real Fabric network
// (testnet/fabric), writing as the customs organization's user.
// LedgerWrites counts every transaction in the channel's blocks, read with
// qscc: refused and repeated writes must add none.
func TestConformance(t *testing.T) {
	n := fabrictest.Need(t)
	counter := newTxCounter(t, n)
	conformance.TestAdapter(t, conformance.Harness{
		Open:         func(t *testing.T) adapters.Adapter { return open(t, n, "customs") },
		LedgerWrites: counter.writes,
		MaxContent:   fabric.DefaultMaxContent,
		Timeout:      3 * time.Minute,
		EventTimeout: time.Minute,
	})
}
