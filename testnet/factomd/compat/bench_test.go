package compat

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	factomadapter "github.com/ledgergate/ledgergate/adapters/factom"
	"github.com/ledgergate/ledgergate/conformance"
	"github.com/ledgergate/ledgergate/schema"
)

// TestBenchFactomd measures the adapter against factomd 6.13 (2 s blocks):
// concurrent digest-only writes, and anchoring 10,000 digests per entry.
// It runs only with LEDGERGATE_BENCH=1.
func TestBenchFactomd(t *testing.T) {
	if os.Getenv("LEDGERGATE_BENCH") != "1" {
		t.Skip("set LEDGERGATE_BENCH=1")
	}
	n, key := factomd(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	a, err := factomadapter.New(ctx, n.Client(), factomadapter.WithECKey(key), factomadapter.WithNamespace(fmt.Sprint("bench-", time.Now().UnixNano())),
		factomadapter.WithPollInterval(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	base, _ := schema.ExampleOf(schema.TypeSensorReading, "complete")
	mk := func() *schema.Record {
		var doc map[string]any
		_ = json.Unmarshal(base, &doc)
		doc["id"] = conformance.NewRecordID()
		delete(doc, "supersedes")
		b, _ := json.Marshal(doc)
		r, err := schema.Default().Validate(b)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	// Create the chain first so it is not part of the timing.
	if _, err := a.Write(ctx, mk(), adapters.Policy{Disclosure: adapters.DisclosureDigest}); err != nil {
		t.Fatal(err)
	}
	const writers, perWriter = 100, 3
	start := time.Now()
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			for range perWriter {
				if _, err := a.Write(ctx, mk(), adapters.Policy{Disclosure: adapters.DisclosureDigest}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	el := time.Since(start)
	t.Logf("writes: %d records, %d writers, %v: %.0f records/s", writers*perWriter, writers, el.Round(time.Millisecond), float64(writers*perWriter)/el.Seconds())

	ds := make([]schema.Digest, 10_000)
	for round := range 3 {
		for i := range ds {
			var b [16]byte
			binary.BigEndian.PutUint64(b[:], uint64(round))
			binary.BigEndian.PutUint64(b[8:], uint64(i))
			ds[i] = schema.DigestOf(b[:])
		}
		start := time.Now()
		ar, proofs, err := a.Anchor(ctx, ds)
		if err != nil {
			t.Fatal(err)
		}
		el := time.Since(start)
		for _, p := range proofs[:100] {
			if err := factomadapter.VerifyInclusion(p); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("anchor %d: %d digests in one entry (block %d), %v until confirmed: %.0f records/s", round, ar.Count, ar.Receipt.Block, el.Round(time.Millisecond), float64(len(ds))/el.Seconds())
	}
}
