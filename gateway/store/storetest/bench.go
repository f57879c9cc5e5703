package storetest

import (
	"context"
	"crypto/rand"
	"fmt"
	mrand "math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/schema"
)

// BenchmarkAccept measures Store.Accept of fresh records the size of the
// complete CertificateOfOrigin example (random record ids, as partners
// send them), from 32 concurrent callers so group commit can work, each
// with one delivery and one audit entry: the store's share of ingest.
// records/s = 1e9 / ns/op.
func BenchmarkAccept(b *testing.B, s store.Store) {
	body, err := schema.ExampleOf(schema.TypeCertificateOfOrigin, "complete")
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.SetParallelism(128) // x GOMAXPROCS callers
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := "urn:uuid:" + rand.Text()
			v := store.Version{
				RecordID: id, Digest: schema.DigestOf(append([]byte(id), body...)), Type: schema.TypeCertificateOfOrigin, SchemaVersion: "1.0",
				Issuer: "did:web:northsteel.example", Partner: "bench", Canonical: body, IssuedAt: time.Now(),
				HSCodes: []string{"7213200000", "720917"}, Countries: []string{"CA", "MX", "US"},
			}
			if _, err := s.Accept(ctx, v, deliveries("bench"), audit()); err != nil {
				panic(fmt.Sprintf("accept: %v", err))
			}
		}
	})
}

// BenchmarkList measures one page (100 versions) of List on a store
// holding n records filled by Fill, by filter: none, an HS chapter (about
// 1 record in 50), an HS heading (about 1 in 5,000), a country (about 1
// in 15), and a heading and a country together. Each loop pages on from
// where the last page ended and starts over after the last. The store is
// filled once, before the timed loops (on a large n that takes a while).
func BenchmarkList(b *testing.B, s store.Store, n int) {
	Fill(b, s, n)
	ctx := context.Background()
	for _, q := range []struct {
		name string
		q    store.Query
	}{
		{"all", store.Query{}},
		{"chapter", store.Query{HSCode: "05"}},
		{"heading", store.Query{HSCode: "0510"}},
		{"country", store.Query{Country: "MX"}},
		{"heading+country", store.Query{HSCode: "0510", Country: "MX"}},
	} {
		b.Run(q.name, func(b *testing.B) {
			q := q.q
			q.Limit = 100
			items := 0
			for b.Loop() {
				p, err := s.List(ctx, q)
				if err != nil {
					b.Fatal(err)
				}
				items += len(p.Items)
				q.After = p.Next // page on; start over at the end
			}
			b.ReportMetric(float64(items)/float64(b.N), "items/op")
		})
	}
}

// Fill accepts n records of the complete CertificateOfOrigin's size into
// s, 256 at a time, each with a six- and a ten-digit HS code in any of 97
// chapters and two countries drawn from 30 (the same records for the same
// n).
func Fill(tb testing.TB, s store.Store, n int) {
	body, err := schema.ExampleOf(schema.TypeCertificateOfOrigin, "complete")
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	rng := mrand.New(mrand.NewPCG(1, 2))
	countries := strings.Fields("US MX CA CR GT HN SV NI DO PA CO PE CL BR AR EC UY PY BO VE DE FR IT ES NL BE CN JP KR IN")
	sem := make(chan struct{}, 256)
	var wg sync.WaitGroup
	var failed atomic.Pointer[error]
	for i := range n {
		id := fmt.Sprintf("urn:uuid:%08x-0000-4000-8000-%012x", rng.Uint32(), i)
		v := store.Version{
			RecordID: id, Digest: schema.DigestOf(append([]byte(id), body...)), Type: schema.TypeCertificateOfOrigin, SchemaVersion: "1.0",
			Issuer: "did:web:northsteel.example", Partner: "bench", Canonical: body, IssuedAt: time.Now(),
			HSCodes:   []string{fmt.Sprintf("%02d%04d", 1+rng.IntN(97), rng.IntN(10000)), fmt.Sprintf("%02d%08d", 1+rng.IntN(97), rng.IntN(100_000_000))},
			Countries: []string{countries[rng.IntN(len(countries))], countries[rng.IntN(len(countries))]},
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if _, err := s.Accept(ctx, v, deliveries("bench"), audit()); err != nil {
				failed.CompareAndSwap(nil, &err)
			}
		})
	}
	wg.Wait()
	if err := failed.Load(); err != nil {
		tb.Fatalf("filling the store: %v", *err)
	}
}

// BenchmarkClaim measures what a relay worker pool pays to find work
// behind a backlog: Claim of 64 due deliveries on a store holding n
// records with one pending delivery each (filled by Fill), then the update
// that confirms each claimed delivery, so the next claim finds the next
// ones (concurrently, as the relay's workers do). ns/op is one claim of
// 64 and its 64 updates; claim-µs/op the claim alone.
func BenchmarkClaim(b *testing.B, s store.Store, n int) {
	Fill(b, s, n)
	ctx := context.Background()
	claimed := 0
	var claiming time.Duration
	for b.Loop() {
		start := time.Now()
		ds, err := s.Claim(ctx, "bench", 64, time.Minute)
		claiming += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if len(ds) == 0 {
			b.Fatalf("nothing left to claim after %d deliveries: raise n", claimed)
		}
		claimed += len(ds)
		var wg sync.WaitGroup
		for _, d := range ds {
			d.State = store.StateConfirmed
			wg.Go(func() {
				if err := s.Update(ctx, "bench", d); err != nil {
					panic(err)
				}
			})
		}
		wg.Wait()
	}
	b.ReportMetric(float64(claimed)/float64(b.N), "deliveries/op")
	b.ReportMetric(float64(claiming.Microseconds())/float64(b.N), "claim-µs/op")
}

// BenchmarkRecord measures the reads by record id on a store holding n
// records (filled by Fill): a record with its history and deliveries (GET
// /v1/records/{id}), and one version by id and digest.
func BenchmarkRecord(b *testing.B, s store.Store, n int) {
	Fill(b, s, n)
	ctx := context.Background()
	var vs []store.Version
	for p, q := (store.Page{}), (store.Query{Limit: 1000}); len(vs) < 10_000; q.After = p.Next {
		var err error
		if p, err = s.List(ctx, q); err != nil {
			b.Fatal(err)
		}
		vs = append(vs, p.Items...)
		if p.Next == 0 {
			break
		}
	}
	rng := mrand.New(mrand.NewPCG(3, 4))
	b.Run("record", func(b *testing.B) {
		for b.Loop() {
			v := vs[rng.IntN(len(vs))]
			if d, err := s.Record(ctx, v.RecordID); err != nil || d.Current.Digest != v.Digest {
				b.Fatalf("Record(%s) = %v", v.RecordID, err)
			}
		}
	})
	b.Run("version", func(b *testing.B) {
		for b.Loop() {
			v := vs[rng.IntN(len(vs))]
			if _, err := s.Version(ctx, v.RecordID, v.Digest); err != nil {
				b.Fatalf("Version(%s) = %v", v.RecordID, err)
			}
		}
	})
}
