package sqlstore

import (
	"fmt"
	"testing"
)

// The filter grows past what it was sized for, keeps every id it was
// given, and tells most of the others apart.
func TestIDFilterGrows(t *testing.T) {
	f := newIDFilter(0)
	f.size, f.room = 100, 100 // as if sized for 100 ids
	for i := range 1000 {
		f.add(fmt.Appendf(nil, "urn:uuid:held-%d", i))
	}
	if len(f.filters) < 4 {
		t.Fatalf("%d filters after 1,000 ids in a filter sized for 100; want it to have grown", len(f.filters))
	}
	for i := range 1000 {
		if !f.mayHold(fmt.Appendf(nil, "urn:uuid:held-%d", i)) {
			t.Fatalf("id %d was added but the filter says it is not held", i)
		}
	}
	positives := 0
	for i := range 10000 {
		if f.mayHold(fmt.Appendf(nil, "urn:uuid:other-%d", i)) {
			positives++
		}
	}
	if positives > 500 {
		t.Fatalf("%d of 10,000 ids never added may be held; want about 1%% per filter", positives)
	}
}

func TestIDTerm(t *testing.T) {
	if got, want := idTerm("urn:a"), "i75726E3A61"; got != want {
		t.Fatalf("idTerm = %q, want %q (SQL's 'i' || hex())", got, want)
	}
}
