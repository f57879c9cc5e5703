package watch

import (
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/ledgergate/ledgergate/schema"
)

func mustMapping(t *testing.T, file string) *Mapping {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	m, err := CompileMapping(string(b))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func originPayload(hs string) any {
	p, _, _ := normalize(map[string]any{
		"certificateNo": "0x" + "ab" + "00000000000000000000000000000000000000000000000000000000000000", "exporter": "0x00000000000000000000000000000000000000aa",
		"exporterName": "Cafe Tica S.A.", "signatory": "Luis Mora", "hsCode": hs, "goods": "Coffee, not roasted",
		"originCountry": "CR", "agreement": "CAFTA-DR", "invoiceRef": "CT-88121", "certifiedAt": uint64(1778421600),
	})
	return p
}

func TestMappingOrigin(t *testing.T) {
	reg, err := schema.NewRegistry()
	if err != nil {
		t.Fatal(err)
	}
	m := mustMapping(t, "testdata/origin.jq")
	prov := Provenance{Source: "cafe-tica", Ledger: "ethereum", TxID: "0x01", Block: 7, Index: 2}
	recs, err := m.Apply(reg, originPayload("090111"), prov, "0x01:2")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Type != "CertificateOfOrigin" || recs[0].Issuer.ID != "did:web:cafe-tica.example" {
		t.Fatalf("records %+v", recs)
	}
	var doc map[string]any
	_ = json.Unmarshal(recs[0].Canonical, &doc)
	pv := doc["extensions"].(map[string]any)[ProvenanceKey].(map[string]any)
	if pv["txId"] != "0x01" || pv["block"] != float64(7) || pv["index"] != float64(2) || pv["source"] != "cafe-tica" {
		t.Fatalf("provenance %v", pv)
	}
	// Stable: the same event maps to the same record (id and digest).
	again, err := m.Apply(reg, originPayload("090111"), prov, "0x01:2")
	if err != nil || again[0].ID != recs[0].ID || again[0].Digest != recs[0].Digest {
		t.Fatalf("not stable: %v %v %v", err, again[0].ID, recs[0].ID)
	}
	// A dotted HS code fails validation; the fixed mapping takes it.
	if _, err := m.Apply(reg, originPayload("0901.11"), prov, "0x01:3"); err == nil || !errors.Is(err, schema.ErrInvalid) {
		t.Fatalf("dotted hs code: %v", err)
	}
	if _, err := mustMapping(t, "testdata/origin-fixed.jq").Apply(reg, originPayload("0901.11"), prov, "0x01:3"); err != nil {
		t.Fatal(err)
	}
}

func TestMappingPostalSkipsHeader(t *testing.T) {
	reg, _ := schema.NewRegistry()
	m := mustMapping(t, "testdata/postal.jq")
	prov := Provenance{Source: "post", Ledger: "factom", TxID: "ee"}
	recs, err := m.Apply(reg, map[string]any{"content": map[string]any{"kind": "header"}, "extIds": []any{"post"}}, prov, "e0")
	if err != nil || len(recs) != 0 {
		t.Fatalf("header: %v %v", recs, err)
	}
	content := map[string]any{"item": "RR473124829CN", "evt": "EMC", "ts": "2026-06-01T03:10:00+08:00", "where": map[string]any{"cc": "CN", "locode": "CNPEK"}}
	recs, err = m.Apply(reg, map[string]any{"content": content}, prov, "e1")
	if err != nil || len(recs) != 1 || recs[0].Type != "PostalItemEvent" {
		t.Fatalf("event: %v %v", recs, err)
	}
}

func TestMappingErrors(t *testing.T) {
	reg, _ := schema.NewRegistry()
	if _, err := CompileMapping("{"); err == nil {
		t.Fatal("bad program compiled")
	}
	for prog, want := range map[string]error{
		`"not an object"`:               ErrMapping,
		`error("boom")`:                 ErrMapping,
		`{type: "CertificateOfOrigin"}`: schema.ErrInvalid,
	} {
		m, err := CompileMapping(prog)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Apply(reg, map[string]any{}, Provenance{Source: "s"}, "k"); !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", prog, err, want)
		}
	}
}

// originregPayload is an OriginCertified event of the partner chaincode
// testnet/fabric/partnercc, as the FabricSource decodes it.
func originregPayload(t *testing.T, fraccion string) any {
	t.Helper()
	var p any
	doc := `{"certNo":"MX-COO-2026-000101","tratado":"T-MEC","exporterRfc":"AMI010514PZ3",
	 "exportador":"Aguacates de Michoacán S.A. de C.V.","firmante":{"nombre":"María Pérez Ruiz","cargo":"Gerente de Comercio Exterior"},
	 "goods":[{"fraccion":"` + fraccion + `","descripcion":"Aguacates Hass frescos","criterio":"A","pais":"MX"},
	          {"fraccion":"08045001","descripcion":"Mangos frescos","criterio":"A","pais":"MX"}],
	 "periodo":{"desde":"2026-06-01","hasta":"2026-11-30"},"firmadoEn":"2026-06-01T10:00:00-06:00","estado":"VIGENTE"}`
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestMappingOriginreg(t *testing.T) {
	reg, err := schema.NewRegistry()
	if err != nil {
		t.Fatal(err)
	}
	m := mustMapping(t, "testdata/originreg.jq")
	prov := Provenance{Source: "aguacates-origin", Ledger: "fabric", Channel: "customs", Chaincode: "originreg", Event: "OriginCertified", TxID: "ab12", Block: 9}
	recs, err := m.Apply(reg, originregPayload(t, "08044001"), prov, "ab12")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Type != "CertificateOfOrigin" || recs[0].Issuer.ID != "did:web:aguacates-mich.example" {
		t.Fatalf("records %+v", recs)
	}
	var doc struct {
		Agreement     string `json:"agreement"`
		BlanketPeriod struct{ From, To string }
		Goods         []struct {
			LineNumber int    `json:"lineNumber"`
			HSCode     string `json:"hsCode"`
		} `json:"goods"`
		Certifier struct {
			Party struct{ TaxID string } `json:"party"`
		} `json:"certifier"`
		Extensions map[string]json.RawMessage `json:"extensions"`
	}
	if err := json.Unmarshal(recs[0].Canonical, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Agreement != "USMCA" || doc.BlanketPeriod.To != "2026-11-30" || len(doc.Goods) != 2 || doc.Goods[1].LineNumber != 2 ||
		doc.Goods[0].HSCode != "08044001" || doc.Certifier.Party.TaxID != "AMI010514PZ3" || string(doc.Extensions["mx.aguacates-mich:certNo"]) != `"MX-COO-2026-000101"` {
		t.Fatalf("mapped %s", recs[0].Canonical)
	}
	var pv Provenance
	if err := json.Unmarshal(doc.Extensions[ProvenanceKey], &pv); err != nil || pv != prov {
		t.Fatalf("provenance %+v (%v), want %+v", pv, err, prov)
	}
	// A dotted tariff fraction fails validation; the fixed mapping takes it.
	if _, err := m.Apply(reg, originregPayload(t, "0804.40.01"), prov, "ab13"); !errors.Is(err, schema.ErrInvalid) {
		t.Fatalf("dotted fraction: %v", err)
	}
	fixed := mustMapping(t, "testdata/originreg-fixed.jq")
	if recs, err := fixed.Apply(reg, originregPayload(t, "0804.40.01"), prov, "ab13"); err != nil || len(recs) != 1 {
		t.Fatalf("fixed mapping: %v %v", recs, err)
	}
	// Other events of the chaincode are skipped on purpose.
	prov.Event = "OriginCancelled"
	if recs, err := fixed.Apply(reg, map[string]any{"payload": "CANCELADO|MX-COO-2026-000101|x"}, prov, "ab14"); err != nil || len(recs) != 0 {
		t.Fatalf("cancellation: %v %v", recs, err)
	}
}
