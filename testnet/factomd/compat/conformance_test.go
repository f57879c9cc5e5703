package compat

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	factomadapter "github.com/ledgergate/ledgergate/adapters/factom"
	"github.com/ledgergate/ledgergate/conformance"
)

// TestConformanceFactomd runs the adapter kit against factomd 6.13 (2 s
// blocks). LedgerWrites is the entry credits the adapter's key spent.
func TestConformanceFactomd(t *testing.T) {
	n, key := factomd(t)
	c := n.Client()
	ctx := context.Background()
	start, err := c.ECBalance(ctx, key.Public())
	if err != nil {
		t.Fatal(err)
	}
	ns := fmt.Sprint("conformance-", time.Now().UnixNano())
	conformance.TestAdapter(t, conformance.Harness{
		Open: func(t *testing.T) adapters.Adapter {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			a, err := factomadapter.New(ctx, c, factomadapter.WithECKey(key), factomadapter.WithNamespace(ns),
				factomadapter.WithPollInterval(100*time.Millisecond), factomadapter.WithNetwork("factomd-local"))
			if err != nil {
				t.Fatal(err)
			}
			return a
		},
		LedgerWrites: func(t *testing.T) uint64 {
			bal, err := c.ECBalance(context.Background(), key.Public())
			if err != nil {
				t.Fatal(err)
			}
			return uint64(start - bal)
		},
		MaxContent:   factomadapter.MaxContent,
		Timeout:      5 * time.Minute,
		EventTimeout: 2 * time.Minute,
	})
}
