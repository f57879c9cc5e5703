package schema_test

import (
	"os"
	"testing"

	"github.com/ledgergate/ledgergate/schema"
)

// TestW3CUSMCAExampleTranslation validates our translation of the USMCA
// certification of origin example from the W3C CCG traceability-vocab
// (credentials/USMCACertificationOfOrigin.yml). docs/schema.md documents
// the field mapping and every judgement call made in it.
func TestW3CUSMCAExampleTranslation(t *testing.T) {
	data, err := os.ReadFile("testdata/w3c/usmca-translated.json")
	if err != nil {
		t.Fatal(err)
	}
	rec, err := schema.Default().Validate(data)
	if err != nil {
		t.Fatalf("translated W3C USMCA example is invalid: %v", err)
	}
	var coo schema.CertificateOfOrigin
	if err := rec.Decode(&coo); err != nil {
		t.Fatal(err)
	}
	if coo.Agreement != "USMCA" || coo.Goods[0].HSCode != "721320" || coo.Goods[0].OriginCriterion != "A" ||
		coo.Goods[0].CountryOfOrigin != "MX" || coo.InvoiceNumber != "inv-2023091" || coo.BlanketPeriod == nil {
		t.Fatalf("translation lost data: %+v", coo)
	}
}
