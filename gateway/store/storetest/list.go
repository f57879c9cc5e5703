package storetest

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/gateway/store/sqlstore"
)

func listFilters(t *testing.T, s store.Store) {
	ctx := context.Background()
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	type rec struct {
		typ, issuer, partner string
		hs, countries        []string
		day                  int
	}
	recs := []rec{
		{"CertificateOfOrigin", "did:web:a.example", "a", []string{"721320"}, []string{"CA", "MX"}, 1},
		{"CertificateOfOrigin", "did:web:b.example", "b", []string{"090111"}, []string{"CR"}, 2},
		{"CommercialInvoice", "did:web:a.example", "a", []string{"7213200000", "720917"}, []string{"CA", "US"}, 3},
		{"SensorReading", "did:web:c.example", "c", nil, []string{"US"}, 4},
		// A deployment's own type may index any string: spaces, '%',
		// NUL, and codes longer than any tariff line.
		{"WarehouseReceipt", "did:web:d.example", "d", []string{"4820 10%\x00x", "48201012345678901234" + strings.Repeat("5", 300)}, []string{"X Y%"}, 5},
	}
	ids := map[int]string{}
	for i, r := range recs {
		v := version(i, "")
		v.Type, v.Issuer, v.Partner, v.HSCodes, v.Countries = r.typ, r.issuer, r.partner, r.hs, r.countries
		v.IssuedAt = base.AddDate(0, 0, r.day)
		if _, err := s.Accept(ctx, v, deliveries("ethereum"), audit()); err != nil {
			t.Fatal(err)
		}
		ids[i] = v.RecordID
	}
	cases := []struct {
		name string
		q    store.Query
		want []int
	}{
		{"all", store.Query{}, []int{0, 1, 2, 3, 4}},
		{"type", store.Query{Type: "CertificateOfOrigin"}, []int{0, 1}},
		{"issuer", store.Query{Issuer: "did:web:a.example"}, []int{0, 2}},
		{"partner", store.Query{Partner: "c"}, []int{3}},
		{"hs prefix", store.Query{HSCode: "7213"}, []int{0, 2}},
		{"hs exact", store.Query{HSCode: "090111"}, []int{1}},
		{"hs chapter", store.Query{HSCode: "72"}, []int{0, 2}},
		{"hs subheading of a tariff line", store.Query{HSCode: "721320"}, []int{0, 2}},
		{"hs eight digits", store.Query{HSCode: "72132000"}, []int{2}},
		{"hs whole tariff line", store.Query{HSCode: "7213200000"}, []int{2}},
		{"hs odd length", store.Query{HSCode: "721"}, []int{0, 2}},
		{"hs longer than any code", store.Query{HSCode: "72132000001"}, nil},
		{"hs no match", store.Query{HSCode: "0102"}, nil},
		{"country and hs", store.Query{Country: "MX", HSCode: "7213"}, []int{0}},
		{"country", store.Query{Country: "US"}, []int{2, 3}},
		{"country with a space and a percent sign", store.Query{Country: "X Y%"}, []int{4}},
		{"country a prefix of one", store.Query{Country: "X"}, nil},
		{"hs before a space", store.Query{HSCode: "4820"}, []int{4}},
		{"hs longer than sixteen digits", store.Query{HSCode: "482010123456789012345"}, []int{4}},
		{"hs longer than sixteen digits, no match", store.Query{HSCode: "482010123456789012346"}, nil},
		{"from", store.Query{From: base.AddDate(0, 0, 3)}, []int{2, 3, 4}},
		{"range", store.Query{From: base.AddDate(0, 0, 2), To: base.AddDate(0, 0, 4)}, []int{1, 2}},
		{"state", store.Query{State: store.StatePending}, []int{0, 1, 2, 3, 4}},
		{"state none", store.Query{State: store.StateConfirmed}, nil},
		{"combined", store.Query{Type: "CommercialInvoice", Country: "CA", HSCode: "7209"}, []int{2}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// Only look at this test's records: filter by our ids.
			p, err := s.List(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, it := range p.Items {
				for i, id := range ids {
					if it.RecordID == id {
						got = append(got, i)
					}
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("List(%+v) = %v, want %v", tc.q, got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("List(%+v) = %v, want %v (acceptance order)", tc.q, got, tc.want)
				}
			}
		})
	}
}

// listCodes checks the HS and country filters against a direct reading
// of their meaning (an HS code starts with the filter's digits; a country
// code equals the filter) on records with random codes, page by page, and
// that superseded versions are not listed.
func listCodes(t *testing.T, s store.Store) { listCodesOf(t, s, false, nil) }

// listCodesGrouped is listCodes with the first versions accepted all at
// once, so that a store with group commit stores many in one transaction
// (and, on SQLite, their index terms with one statement).
func listCodesGrouped(t *testing.T, s store.Store) { listCodesOf(t, s, true, nil) }

// DeferredCodes is listCodes on a store with sqlstore.Dialect.DeferredCodes
// opened with sqlstore.WithManualCodeIndex: the codes of the first half
// of the records are indexed before the rest are accepted, so that the
// filters list versions on both sides of the indexer's watermark; then
// all are indexed and the filters are checked again, and the store's
// integrity.
func DeferredCodes(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	indexAll := func() {
		t.Helper()
		for range 100 { // versions, 20,000 a pass
			n, err := s.IndexCodes(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				return
			}
		}
		t.Fatal("IndexCodes still finds versions to index after 100 passes")
	}
	listCodesOf(t, s, false, func() {
		if n, deferred := s.CodesToIndex(); n == 0 || !deferred {
			t.Errorf("CodesToIndex() = %d, %v before indexing accepted versions", n, deferred)
		}
		indexAll()
		if n, _ := s.CodesToIndex(); n != 0 {
			t.Errorf("CodesToIndex() = %d after indexing every version", n)
		}
	})
	if err := s.CheckIntegrity(ctx); err != nil {
		t.Fatal(err)
	}
}

// listCodesOf accepts records with random codes and checks the filters;
// with index set, it is called after half of them are accepted, and
// again before the filters are checked a second time.
func listCodesOf(t *testing.T, s store.Store, together bool, index func()) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 11))
	code := func() string {
		n := []int{6, 8, 10, 4}[rng.IntN(4)] // 4: a deployment's own type
		b := make([]byte, n)
		for i := range b {
			b[i] = "0127"[rng.IntN(4)] // few digits: prefixes collide
		}
		return string(b)
	}
	countries := []string{"US", "MX", "CA", "CR"}
	type rec struct {
		id        string
		hs        []string
		countries []string
	}
	firsts := make([]store.Version, 60)
	for i := range firsts {
		v := version(i, "")
		v.HSCodes, v.Countries = nil, nil
		for range rng.IntN(4) {
			v.HSCodes = append(v.HSCodes, code())
		}
		for range rng.IntN(3) {
			v.Countries = append(v.Countries, countries[rng.IntN(len(countries))])
		}
		firsts[i] = v
	}
	if together {
		errs := make(chan error, len(firsts))
		for _, v := range firsts {
			go func() {
				_, err := s.Accept(ctx, v, nil, audit())
				errs <- err
			}()
		}
		for range firsts {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
	}
	var recs []rec
	for i, v := range firsts {
		if index != nil && i == len(firsts)/2 {
			index()
		}
		if !together {
			if _, err := s.Accept(ctx, v, nil, audit()); err != nil {
				t.Fatal(err)
			}
		}
		if i%10 == 3 { // a new version with other codes replaces it
			w := versionOf(v.RecordID, 1000+i, v.Digest)
			w.HSCodes, w.Countries = []string{code()}, []string{"CR"}
			if _, err := s.Accept(ctx, w, nil, audit()); err != nil {
				t.Fatal(err)
			}
			v = w
		}
		recs = append(recs, rec{v.RecordID, v.HSCodes, v.Countries})
	}
	var queries []store.Query
	for _, c := range countries {
		queries = append(queries, store.Query{Country: c})
	}
	var all []string // every code named
	for _, r := range recs {
		all = append(all, r.hs...)
	}
	for n := 1; n <= 11; n++ {
		// A prefix of a code some record names (when one is that long),
		// and a prefix of a random code, the second with a country too.
		p := code() + code() + code() // at least 12 digits
		for range 10 {
			if c := all[rng.IntN(len(all))]; len(c) >= n {
				p = c
				break
			}
		}
		queries = append(queries, store.Query{HSCode: p[:n]}, store.Query{HSCode: (code() + code() + code())[:n], Country: countries[rng.IntN(len(countries))]})
	}
	check := func() {
		for _, q := range queries {
			var want []string
			for _, r := range recs {
				hsOK := q.HSCode == "" || slices.ContainsFunc(r.hs, func(c string) bool { return strings.HasPrefix(c, q.HSCode) })
				cOK := q.Country == "" || slices.Contains(r.countries, q.Country)
				if hsOK && cOK {
					want = append(want, r.id)
				}
			}
			var got []string
			q.Limit = 4
			for {
				p, err := s.List(ctx, q)
				if err != nil {
					t.Fatalf("List(%+v): %v", q, err)
				}
				for _, it := range p.Items {
					got = append(got, it.RecordID)
				}
				if p.Next == 0 {
					break
				}
				q.After = p.Next
			}
			q.After = 0
			if together { // stored in no particular order
				slices.Sort(got)
				slices.Sort(want)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("List(%+v) = %d records %v, want %d %v", q, len(got), got, len(want), want)
			}
		}
	}
	check()
	if index != nil {
		index()
		check()
	}
}

func listRejectsBadFilter(t *testing.T, s store.Store) {
	if _, err := s.List(context.Background(), store.Query{HSCode: "72%"}); !errors.Is(err, store.ErrInvalidQuery) {
		t.Fatalf("List(HSCode 72%%) = %v, want ErrInvalidQuery", err)
	}
}

func listPagination(t *testing.T, s store.Store) {
	ctx := context.Background()
	want := map[string]bool{}
	for i := range 57 {
		v := version(i, "")
		v.Partner = "pager"
		if _, err := s.Accept(ctx, v, nil, audit()); err != nil {
			t.Fatal(err)
		}
		want[v.RecordID] = true
	}
	seen := map[string]bool{}
	var after int64
	pages := 0
	for {
		p, err := s.List(ctx, store.Query{Partner: "pager", Limit: 10, After: after})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, it := range p.Items {
			if seen[it.RecordID] {
				t.Fatalf("record %s on two pages", it.RecordID)
			}
			seen[it.RecordID] = true
		}
		if p.Next == 0 {
			break
		}
		after = p.Next
	}
	if len(seen) != len(want) || pages != 6 {
		t.Fatalf("paged through %d records in %d pages, want %d in 6", len(seen), pages, len(want))
	}
}
