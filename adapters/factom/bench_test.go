package factom_test

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/factom/node"
	"github.com/ledgergate/ledgergate/schema"
)

// BenchmarkWrite writes records one after another to an embedded node with
// instant blocks and fsync: commit, reveal, directory block, index.
func BenchmarkWrite(b *testing.B) {
	b.Run("fsync", func(b *testing.B) { benchWrite(b, startNode(b)) })
	b.Run("nosync", func(b *testing.B) { benchWrite(b, startNode(b, node.WithoutSync())) })
}

func benchWrite(b *testing.B, e *embedded) {
	a := e.open(b, "bench-write")
	ctx := testCtx(b, 10*time.Minute)
	recs := make([]*schema.Record, b.N)
	for i := range recs {
		recs[i] = record(b, newID(), fmt.Sprint(i), "")
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := a.Write(ctx, recs[i], full); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkWriteParallel writes with 64 concurrent writers: entries that
// arrive together share a directory block.
func BenchmarkWriteParallel(b *testing.B) {
	b.Run("fsync", func(b *testing.B) { benchWriteParallel(b, startNode(b)) })
	b.Run("nosync", func(b *testing.B) { benchWriteParallel(b, startNode(b, node.WithoutSync())) })
}

func benchWriteParallel(b *testing.B, e *embedded) {
	a := e.open(b, "bench-write")
	ctx := testCtx(b, 10*time.Minute)
	recs := make([]*schema.Record, b.N)
	for i := range recs {
		recs[i] = record(b, newID(), fmt.Sprint(i), "")
	}
	var next atomic.Int64
	b.SetParallelism(32) // 32 x GOMAXPROCS(2) = 64 writers
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1) - 1
			if _, err := a.Write(ctx, recs[i], adapters.Policy{Disclosure: adapters.DisclosureDigest}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
