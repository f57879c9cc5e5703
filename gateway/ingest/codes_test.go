package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/ledgergate/ledgergate/schema"
)

// walkCodes is the reference for IndexCodes: the same collection done on
// the decoded tree.
func walkCodes(doc any) (hs, countries []string) {
	isCountry := map[string]bool{"countryCode": true, "countryOfOrigin": true, "originCountry": true, "destinationCountry": true,
		"countryOfExport": true, "countryOfDestination": true, "jurisdictions": true, "territories": true}
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, vv := range x {
				walk(k, vv)
			}
		case []any:
			for _, vv := range x {
				walk(key, vv)
			}
		case string:
			switch {
			case key == "hsCode":
				hs = append(hs, x)
			case isCountry[key]:
				countries = append(countries, x)
			}
		}
	}
	walk("", doc)
	return hs, countries
}

// checkCodes canonicalizes doc and compares IndexCodes with walkCodes.
func checkCodes(t *testing.T, doc []byte) {
	t.Helper()
	canon, err := schema.Canonicalize(doc)
	if err != nil {
		return
	}
	var tree any
	d := json.NewDecoder(bytes.NewReader(canon))
	d.UseNumber()
	if err := d.Decode(&tree); err != nil {
		t.Fatalf("canonical form does not decode: %v", err)
	}
	gotHS, gotC := IndexCodes(canon)
	wantHS, wantC := walkCodes(tree)
	for _, s := range [][]string{gotHS, gotC, wantHS, wantC} {
		slices.Sort(s)
	}
	if !slices.Equal(gotHS, wantHS) || !slices.Equal(gotC, wantC) {
		t.Fatalf("IndexCodes(%s)\n = hs %q countries %q\nwant hs %q countries %q", canon, gotHS, gotC, wantHS, wantC)
	}
}

// codeCases are documents that try to confuse a byte scanner: member
// names inside strings, escapes, nested and mixed arrays, objects under
// an index key.
var codeCases = []string{
	`{"hsCode":"720917","countryOfOrigin":"CA"}`,
	`{"note":"\"hsCode\":\"999999\"","hsCode":"720917"}`,
	`{"note":"a\\","hsCode":"1"}`,
	`{"x":{"hsCode":"72\u0030917"},"jurisdictions":["US","CA",["MX"]]}`,
	`{"territories":["US",{"countryCode":"DE","n":1},"FR",2,null,true,"IT"]}`,
	`{"hsCode":7209,"countryCode":null,"originCountry":{"countryCode":"JP"}}`,
	`{"hsCodes":["1"],"xhsCode":"2","hsCode ":"3","items":[{"hsCode":"4"},{"hsCode":"5","countryOfExport":"NZ"}]}`,
	`{"destinationCountry":"é\n","countryOfDestination":"\u2028"}`,
	`{"jurisdictions":[],"territories":[[]],"hsCode":""}`,
}

func TestIndexCodes(t *testing.T) {
	for _, ex := range schema.Examples() {
		t.Run(ex.File, func(t *testing.T) { checkCodes(t, ex.Data) })
	}
	for i, c := range codeCases {
		t.Run(fmt.Sprint("case", i), func(t *testing.T) { checkCodes(t, []byte(c)) })
	}
	// The shipped certificate names its goods' HS codes and countries.
	b, _ := schema.ExampleOf(schema.TypeCertificateOfOrigin, "complete")
	canon, _ := schema.Canonicalize(b)
	hs, countries := IndexCodes(canon)
	if len(hs) == 0 || len(countries) == 0 {
		t.Fatalf("certificate: hs %q countries %q, want both non-empty", hs, countries)
	}
}

func FuzzIndexCodes(f *testing.F) {
	for _, ex := range schema.Examples() {
		f.Add(ex.Data)
	}
	for _, c := range codeCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, doc []byte) { checkCodes(t, doc) })
}

func BenchmarkIndexCodes(b *testing.B) {
	data, _ := schema.ExampleOf(schema.TypeCertificateOfOrigin, "complete")
	canon, err := schema.Canonicalize(data)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		IndexCodes(canon)
	}
}
