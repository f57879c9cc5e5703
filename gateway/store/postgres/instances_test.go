package postgres_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/gateway/store/postgres"
	"github.com/ledgergate/ledgergate/schema"
)

// TestInstancesCommitInSeqOrder: two gateway instances accept into one
// database while a reader follows GET /v1/records' cursor (List with
// After = the last seq seen). Every accepted record must reach the
// reader: a version must never become visible after one with a higher
// seq, or the cursor steps past it.
func TestInstancesCommitInSeqOrder(t *testing.T) {
	dsn := isolated(t)
	ctx := context.Background()
	var stores []store.Store
	for range 2 { // two gateway instances
		s, err := postgres.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores = append(stores, s)
	}
	const perWriter, writers = 150, 16
	accepted := make(chan string, perWriter*writers*len(stores))
	var wg sync.WaitGroup
	for i, s := range stores {
		for w := range writers {
			wg.Go(func() {
				for n := range perWriter {
					id := "urn:uuid:" + randomUUIDTail(i, w, n)
					body := []byte(`{"id":"` + id + `"}`)
					v := store.Version{RecordID: id, Digest: schema.DigestOf(body), Type: "SensorReading", SchemaVersion: "1.0",
						Issuer: "did:web:x.example", Partner: "p", Canonical: body, IssuedAt: time.Now(), Countries: []string{"MX", "US"}}
					if _, err := s.Accept(ctx, v, []store.NewDelivery{{Ledger: "l", Policy: adapters.Policy{Disclosure: adapters.DisclosureDigest}}}, store.AuditEntry{Actor: "p", Action: "record.accepted"}); err != nil {
						t.Error(err)
						return
					}
					accepted <- id
				}
			})
		}
	}
	seen := map[string]bool{}
	var after int64
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	follow := func() {
		for {
			p, err := stores[0].List(ctx, store.Query{After: after, Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range p.Items {
				seen[v.RecordID] = true
				after = v.Seq
			}
			if p.Next == 0 {
				return
			}
		}
	}
	for following := true; following; {
		select {
		case <-done:
			following = false
		default:
		}
		follow()
	}
	follow()
	close(accepted)
	missed := 0
	for id := range accepted {
		if !seen[id] {
			missed++
		}
	}
	if missed > 0 {
		t.Fatalf("the cursor stepped past %d of %d records committed after a higher seq", missed, perWriter*writers*len(stores))
	}
}

func randomUUIDTail(i, w, n int) string {
	const hexd = "0123456789abcdef"
	b := []byte("00000000-0000-4000-8000-000000000000")
	v := i<<24 | w<<16 | n
	for k := len(b) - 1; k >= len(b)-8; k-- {
		b[k] = hexd[v&15]
		v >>= 4
	}
	// Spread ids so they do not sort with seq.
	b[0], b[1] = hexd[(n*7)&15], hexd[(w*3+i)&15]
	return string(b)
}
