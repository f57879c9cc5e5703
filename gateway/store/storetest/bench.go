package storetest

import (
	"context"
	"crypto/rand"
	"fmt"
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
