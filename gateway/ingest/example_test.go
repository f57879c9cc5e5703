package ingest_test

import (
	"fmt"

	"github.com/ledgergate/ledgergate/gateway/ingest"
	"github.com/ledgergate/ledgergate/schema"
)

// IndexCodes reads the codes the record list filters on from a record's
// canonical form, at any depth.
func ExampleIndexCodes() {
	canonical, err := schema.Canonicalize([]byte(`{
		"goods": [
			{"hsCode": "720917", "originCountry": "CA"},
			{"hsCode": "7213200000", "originCountry": "MX"}
		],
		"exporter": {"address": {"countryCode": "CA"}},
		"note": "\"hsCode\": inside a string is not a member"
	}`))
	if err != nil {
		panic(err)
	}
	hs, countries := ingest.IndexCodes(canonical)
	fmt.Println(hs, countries)
	// Output: [720917 7213200000] [CA CA MX]
}
