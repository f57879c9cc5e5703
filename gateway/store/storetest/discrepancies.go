package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/gateway/store"
)

func discrepancies(t *testing.T, s store.Store) {
	ctx := context.Background()
	id1, id2 := newID(), newID()
	in := []store.Discrepancy{
		{RecordID: id1, Ledger: "eth", Partner: "p1", Verdict: "divergent", Expected: digest("a"), Found: digest("b"), Version: "newer", Reason: "tampered",
			Fields: []store.FieldDiff{{Pointer: "/value", Expected: json.RawMessage(`"1"`), Found: json.RawMessage(`"2"`)}, {Pointer: "/extra", Found: json.RawMessage(`null`)}}},
		{RecordID: id1, Ledger: "factom", Partner: "p1", Verdict: "missing", Expected: digest("a")},
		{RecordID: id2, Ledger: "eth", Partner: "p2", Verdict: "unverifiable", Reason: "ledger unavailable"},
	}
	added, err := s.AddDiscrepancies(ctx, in)
	if err != nil || len(added) != 3 {
		t.Fatalf("AddDiscrepancies = %d, %v", len(added), err)
	}
	if added[0].ID == 0 || added[1].ID <= added[0].ID || added[0].FirstSeen.IsZero() {
		t.Fatalf("ids/firstSeen not set: %+v", added)
	}
	if none, err := s.AddDiscrepancies(ctx, nil); err != nil || len(none) != 0 {
		t.Fatalf("AddDiscrepancies(nil) = %v, %v", none, err)
	}
	list := func(q store.DiscrepancyQuery) []store.Discrepancy {
		t.Helper()
		p, err := s.ListDiscrepancies(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return p.Items
	}
	got := list(store.DiscrepancyQuery{RecordID: id1})
	if len(got) != 2 || got[0].ID != added[0].ID || got[0].Found != digest("b") || got[0].Version != "newer" || len(got[0].Fields) != 2 ||
		string(got[0].Fields[0].Found) != `"2"` || got[0].Fields[1].Expected != nil || string(got[0].Fields[1].Found) != "null" {
		t.Fatalf("by record: %+v", got)
	}
	if !got[0].FirstSeen.Equal(added[0].FirstSeen) || !got[0].ResolvedAt.IsZero() {
		t.Fatalf("times: %+v vs %+v", got[0], added[0])
	}
	if got := list(store.DiscrepancyQuery{Partner: "p2"}); len(got) != 1 || got[0].RecordID != id2 {
		t.Fatalf("by partner: %+v", got)
	}
	if got := list(store.DiscrepancyQuery{RecordID: id1, Ledger: "factom", Verdict: "missing"}); len(got) != 1 {
		t.Fatalf("by ledger+verdict: %+v", got)
	}
	at := time.Now().UTC()
	if err := s.ResolveDiscrepancies(ctx, []int64{added[1].ID, added[2].ID}, at); err != nil {
		t.Fatal(err)
	}
	if err := s.ResolveDiscrepancies(ctx, nil, at); err != nil {
		t.Fatal(err)
	}
	open := list(store.DiscrepancyQuery{RecordID: id1, State: "open"})
	if len(open) != 1 || open[0].ID != added[0].ID {
		t.Fatalf("open after resolve: %+v", open)
	}
	res := list(store.DiscrepancyQuery{Partner: "p2", State: "resolved"})
	if len(res) != 1 || res[0].ResolvedAt.UnixNano() != at.UnixNano() {
		t.Fatalf("resolved: %+v", res)
	}
	if _, err := s.ListDiscrepancies(ctx, store.DiscrepancyQuery{State: "bogus"}); !errors.Is(err, store.ErrInvalidQuery) {
		t.Fatalf("bad state: %v", err)
	}
	// Pagination.
	var many []store.Discrepancy
	id3 := newID()
	for range 5 {
		many = append(many, store.Discrepancy{RecordID: id3, Ledger: "m", Verdict: "missing"})
	}
	if _, err := s.AddDiscrepancies(ctx, many); err != nil {
		t.Fatal(err)
	}
	var seen int
	q := store.DiscrepancyQuery{RecordID: id3, Limit: 2}
	for pages := 0; ; pages++ {
		p, err := s.ListDiscrepancies(ctx, q)
		if err != nil || pages > 5 {
			t.Fatalf("page %d: %v", pages, err)
		}
		seen += len(p.Items)
		if p.Next == 0 {
			break
		}
		q.After = p.Next
	}
	if seen != 5 {
		t.Fatalf("paged through %d, want 5", seen)
	}
}
