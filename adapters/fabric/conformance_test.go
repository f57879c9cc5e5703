package fabric_test

import (
	"context"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/fabric"
	"github.com/ledgergate/ledgergate/adapters/fabric/fabrictest"
	"github.com/ledgergate/ledgergate/conformance"
)

// TestConformance runs the adapter kit against the real Fabric network
// (testnet/fabric), writing as the customs organization's user.
// LedgerWrites counts the transactions the customs user signed, read from
// the channel's blocks with qscc: refused and repeated writes must add none.
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

// TestTxCounter checks the count the kit relies on: a write by the
// customs user adds one, a write by the partner's user adds none.
func TestTxCounter(t *testing.T) {
	n := fabrictest.Need(t)
	counter := newTxCounter(t, n)
	ctx := context.Background()
	before := counter.writes(t)
	if _, err := open(t, n, "customs").Write(ctx, record(t), adapters.Policy{Disclosure: adapters.DisclosureDigest}); err != nil {
		t.Fatal(err)
	}
	if got := counter.writes(t); got != before+1 {
		t.Fatalf("a customs write moved the count from %d to %d, want +1", before, got)
	}
	if _, err := open(t, n, "partner").Write(ctx, record(t), adapters.Policy{Disclosure: adapters.DisclosureDigest}); err != nil {
		t.Fatal(err)
	}
	if got := counter.writes(t); got != before+1 {
		t.Fatalf("a partner write moved the count to %d, want %d", got, before+1)
	}
}
