package factom_test

import (
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/factom"
	"github.com/ledgergate/ledgergate/conformance"
)

// TestConformance runs the adapter kit against the embedded node with
// instant blocks. LedgerWrites is the entry credits the adapter's key has
// spent, read from the node: refused and repeated writes spend none.
func TestConformance(t *testing.T) {
	e := startNode(t)
	conformance.TestAdapter(t, conformance.Harness{
		Open:         func(t *testing.T) adapters.Adapter { return e.open(t, "conformance") },
		LedgerWrites: func(t *testing.T) uint64 { return e.spent(t) },
		MaxContent:   factom.MaxContent,
		EventTimeout: 30 * time.Second,
	})
}
