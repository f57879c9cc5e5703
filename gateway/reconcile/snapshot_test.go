package reconcile_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/gateway/reconcile"
	"github.com/ledgergate/ledgergate/schema"
)

func TestSnapshot(t *testing.T) {
	ctx := context.Background()
	const n = 5000
	entry := func(i, v int) adapters.Entry {
		id := fmt.Sprintf("urn:uuid:%d", i)
		return adapters.Entry{RecordID: id, Type: "SensorReading", Digest: schema.DigestOf([]byte(fmt.Sprint(id, v))), Disclosure: adapters.DisclosureFull,
			Content: []byte(fmt.Sprint(v)), Receipt: adapters.Receipt{Ledger: "memory", RecordID: id, TxID: fmt.Sprint("tx", i, v), Block: uint64(i)}}
	}
	for _, size := range []int{0, n} { // grown from empty, and sized up front
		s := reconcile.NewSnapshot(size)
		for i := range n {
			s.Put(entry(i, 1))
		}
		for i := 0; i < n; i += 3 { // replaced: the latest put is current
			s.Put(entry(i, 2))
		}
		if s.Len() != n {
			t.Fatalf("len %d, want %d", s.Len(), n)
		}
		check := func(s *reconcile.Snapshot) {
			t.Helper()
			for i := range n {
				want := entry(i, 1)
				if i%3 == 0 {
					want = entry(i, 2)
				}
				got, err := s.Read(ctx, want.RecordID)
				if err != nil || !reflect.DeepEqual(got, want) {
					t.Fatalf("read %s: %+v, %v; want %+v", want.RecordID, got, err, want)
				}
				if r, err := s.Receipt(ctx, want.RecordID, want.Digest); err != nil || !reflect.DeepEqual(r, want.Receipt) {
					t.Fatalf("receipt %s: %+v, %v", want.RecordID, r, err)
				}
				if _, err := s.Receipt(ctx, want.RecordID, schema.DigestOf(nil)); !errors.Is(err, adapters.ErrNotFound) {
					t.Fatalf("receipt of another digest: %v", err)
				}
			}
			for _, id := range []string{"", "urn:uuid:-1", fmt.Sprintf("urn:uuid:%d", n)} {
				if _, err := s.Read(ctx, id); !errors.Is(err, adapters.ErrNotFound) {
					t.Fatalf("read %q: %v, want not found", id, err)
				}
			}
		}
		check(s)
		var buf bytes.Buffer
		if _, err := s.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		loaded, err := reconcile.LoadSnapshot(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if loaded.Len() != n {
			t.Fatalf("loaded %d entries", loaded.Len())
		}
		check(loaded)
	}
}
