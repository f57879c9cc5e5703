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
