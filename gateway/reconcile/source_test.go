package reconcile_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ledgergate/ledgergate/gateway/reconcile"
	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/schema"
)

// TestMemorySourceVersions: every version added (current or not) is
// found, the latest added copy of one wins, and Scan yields the records
// after the cursor in batches.
func TestMemorySourceVersions(t *testing.T) {
	ctx := context.Background()
	ver := func(id, content, partner string) store.Version {
		return store.Version{RecordID: id, Digest: schema.DigestOf([]byte(content)), Partner: partner}
	}
	m := reconcile.NewMemorySource()
	a1, a2, b1 := ver("a", "a1", "p"), ver("a", "a2", "p"), ver("b", "b1", "p")
	m.AddVersion(ver("a", "a0", "p"))
	m.Add(reconcile.Item{Version: a1})
	m.Add(reconcile.Item{Version: b1})
	m.AddVersion(ver("b", "b1", "later copy"))
	m.Add(reconcile.Item{Version: a2}) // a's new current version
	for _, w := range []struct {
		v       store.Version
		partner string
	}{{ver("a", "a0", "p"), "p"}, {a1, "p"}, {a2, "p"}, {b1, "later copy"}} {
		got, err := m.Version(ctx, w.v.RecordID, w.v.Digest)
		if err != nil || got.Digest != w.v.Digest || got.Partner != w.partner {
			t.Fatalf("version %s %s: %+v, %v (want partner %s)", w.v.RecordID, w.v.Digest, got, err, w.partner)
		}
	}
	if _, err := m.Version(ctx, "a", schema.DigestOf([]byte("b1"))); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown version: %v", err)
	}
	if it, err := m.Item(ctx, "a"); err != nil || it.Version.Digest != a2.Digest {
		t.Fatalf("current of a: %+v, %v", it, err)
	}
	// Re-adding the current version: the latest copy is found.
	m.Add(reconcile.Item{Version: ver("b", "b1", "re-added")})
	if got, _ := m.Version(ctx, "b", b1.Digest); got.Partner != "re-added" {
		t.Fatalf("re-added: %+v", got)
	}

	// Scan: 10,000 records, the first 100 skipped by the cursor; others
	// with a low sequence interleaved (batches are collected across them).
	m = reconcile.NewMemorySource()
	for i := range 10_000 {
		v := ver("r"+string(rune('a'+i%26))+schema.DigestOf([]byte{byte(i), byte(i >> 8)}).String(), "x", "p")
		v.Seq = int64(i + 1)
		if i%1000 == 500 {
			v.Seq = 1 // behind the cursor
		}
		m.Add(reconcile.Item{Version: v})
	}
	var sizes []int
	seen := 0
	err := m.Scan(ctx, 100, func(items []reconcile.Item) error {
		sizes = append(sizes, len(items))
		for _, it := range items {
			if it.Version.Seq <= 100 {
				t.Fatalf("scanned seq %d", it.Version.Seq)
			}
		}
		seen += len(items)
		return nil
	})
	if err != nil || seen != 10_000-100-10 || len(sizes) != 3 || sizes[0] != 4096 || sizes[1] != 4096 {
		t.Fatalf("scan: %d records in batches %v, %v", seen, sizes, err)
	}
}
