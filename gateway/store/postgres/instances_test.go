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
	// Two readers: one lists everything from the first instance, one
	// lists by a country code from the second, across the watermark of
	// the code indexers both instances run (every record names MX).
	type follower struct {
		s     store.Store
		q     store.Query
		seen  map[string]int
		after int64
	}
	followers := []*follower{{s: stores[0], seen: map[string]int{}}, {s: stores[1], q: store.Query{Country: "MX"}, seen: map[string]int{}}}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	follow := func(f *follower) {
		for {
			q := f.q
			q.After, q.Limit = f.after, 1000
			p, err := f.s.List(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range p.Items {
				f.seen[v.RecordID]++
				f.after = v.Seq
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
		for _, f := range followers {
			follow(f)
		}
	}
	close(accepted)
	var ids []string
	for id := range accepted {
		ids = append(ids, id)
	}
	for _, f := range followers {
		follow(f)
		missed, twice := 0, 0
		for _, id := range ids {
			switch f.seen[id] {
			case 0:
				missed++
			case 1:
			default:
				twice++
			}
		}
		if missed > 0 || twice > 0 {
			t.Errorf("List(%+v) by cursor: stepped past %d and listed %d twice of %d records", f.q, missed, twice, len(ids))
		}
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
