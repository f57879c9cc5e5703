package factom_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/factom"
	"github.com/ledgergate/ledgergate/adapters/factom/node"
	"github.com/ledgergate/ledgergate/schema"
)

func digests(n int, salt string) []schema.Digest {
	out := make([]schema.Digest, n)
	for i := range out {
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], uint64(i))
		out[i] = schema.DigestOf(append([]byte(salt), b[:]...))
	}
	return out
}

func TestAnchor(t *testing.T) {
	ctx := testCtx(t, time.Minute)
	e := startNode(t)
	a := e.open(t, "anchor")
	for _, n := range []int{1, 2, 3, 5, 8, 1000} {
		ds := digests(n, fmt.Sprint("anchor", n))
		before := e.spent(t)
		ar, proofs, err := a.Anchor(ctx, ds)
		if err != nil {
			t.Fatal(err)
		}
		if spent := e.spent(t) - before; spent > 1+11 {
			t.Errorf("anchoring %d digests cost %d credits; one entry (and maybe the chain) expected", n, spent)
		}
		if ar.Count != n || len(proofs) != n || ar.Receipt.Status != adapters.StatusConfirmed {
			t.Fatalf("anchor of %d: %+v, %d proofs", n, ar, len(proofs))
		}
		for i, p := range proofs {
			if err := factom.VerifyInclusion(p); err != nil {
				t.Fatalf("proof %d of %d: %v", i, n, err)
			}
		}
		if err := a.VerifyAnchor(ctx, ar); err != nil {
			t.Fatalf("VerifyAnchor: %v", err)
		}
		if err := factom.VerifyProof(ar.Receipt); err != nil {
			t.Fatalf("VerifyProof(anchor receipt): %v", err)
		}
	}
	// Tampered proofs fail.
	ds := digests(7, "tamper")
	_, proofs, err := a.Anchor(ctx, ds)
	if err != nil {
		t.Fatal(err)
	}
	p := proofs[3]
	bad := []adapters.InclusionProof{
		{Digest: ds[4], Index: p.Index, Path: p.Path, Root: p.Root},
		{Digest: p.Digest, Index: p.Index + 1, Path: p.Path, Root: p.Root},
		{Digest: p.Digest, Index: p.Index, Path: p.Path[:len(p.Path)-1], Root: p.Root},
		{Digest: p.Digest, Index: p.Index, Path: p.Path, Root: strings.Repeat("0", 64)},
		{Digest: p.Digest, Index: p.Index + 8, Path: p.Path, Root: p.Root},
	}
	for i, b := range bad {
		if err := factom.VerifyInclusion(b); err == nil {
			t.Errorf("tampered proof %d verified", i)
		}
	}
	var rej *adapters.RejectedError
	if _, _, err := a.Anchor(ctx, nil); !errors.As(err, &rej) {
		t.Errorf("Anchor(nil) = %v, want a rejection", err)
	}
	if _, _, err := a.Anchor(ctx, []schema.Digest{"sha256:nope"}); !errors.As(err, &rej) {
		t.Errorf("Anchor(bad digest) = %v, want a rejection", err)
	}
}

// BenchmarkAnchor anchors b.N batches of 10,000 digests, each batch one
// entry on an embedded node (instant blocks, fsync on), and reports
// records anchored per second.
func BenchmarkAnchor(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			e := startNode(b)
			a := e.open(b, "bench")
			ctx := testCtx(b, 10*time.Minute)
			ds := digests(n, "bench")
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				ds[0] = schema.DigestOf([]byte(fmt.Sprint("bench", i))) // a new root each time
				if _, _, err := a.Anchor(ctx, ds); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "records/s")
			b.ReportMetric(float64(n), "records/entry")
		})
	}
}

// BenchmarkVerifyInclusion verifies proofs of a 10,000-leaf tree offline.
func BenchmarkVerifyInclusion(b *testing.B) {
	e := startNode(b, node.WithoutSync())
	a := e.open(b, "bench")
	_, proofs, err := a.Anchor(testCtx(b, time.Minute), digests(10_000, "verify"))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := factom.VerifyInclusion(proofs[i%len(proofs)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "proofs/s")
}
