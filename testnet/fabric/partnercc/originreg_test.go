package main

import (
	"encoding/json"
	"strings"
	"testing"
)

const valid = `{"certNo":"MX-COO-2026-000101","tratado":"T-MEC","exporterRfc":"AMI010514PZ3",
 "exportador":"Aguacates de Michoacán S.A. de C.V.","firmante":{"nombre":"María Pérez Ruiz","cargo":"Gerente de Comercio Exterior"},
 "goods":[{"fraccion":"0804.40.01","descripcion":"Aguacates Hass frescos","criterio":"A","pais":"MX"}],
 "periodo":{"desde":"2026-06-01","hasta":"2026-11-30"},"firmadoEn":"2026-06-01T10:00:00-06:00"}`

func TestParseCertificate(t *testing.T) {
	c, err := parseCertificate([]byte(valid))
	if err != nil {
		t.Fatal(err)
	}
	if c.CertNo != "MX-COO-2026-000101" || c.Goods[0].Fraccion != "0804.40.01" || c.Periodo.Hasta != "2026-11-30" {
		t.Fatalf("parsed %+v", c)
	}
	edit := func(f func(m map[string]any)) string {
		var m map[string]any
		if err := json.Unmarshal([]byte(valid), &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		b, _ := json.Marshal(m)
		return string(b)
	}
	bad := map[string]string{
		"unknown field":   edit(func(m map[string]any) { m["hsCode"] = "080440" }),
		"certNo":          edit(func(m map[string]any) { m["certNo"] = "mx 1" }),
		"rfc":             edit(func(m map[string]any) { m["exporterRfc"] = "12345" }),
		"no goods":        edit(func(m map[string]any) { m["goods"] = []any{} }),
		"pais":            edit(func(m map[string]any) { m["goods"].([]any)[0].(map[string]any)["pais"] = "Mexico" }),
		"periodo order":   edit(func(m map[string]any) { m["periodo"] = map[string]any{"desde": "2026-12-01", "hasta": "2026-01-01"} }),
		"firmadoEn":       edit(func(m map[string]any) { m["firmadoEn"] = "2026-06-01" }),
		"estado by hand":  edit(func(m map[string]any) { m["estado"] = Vigente }),
		"trailing data":   valid + "{}",
		"not json":        "CANCELADO|x|y",
		"missing signer":  edit(func(m map[string]any) { delete(m, "firmante") }),
		"missing tratado": edit(func(m map[string]any) { delete(m, "tratado") }),
	}
	for name, doc := range bad {
		if _, err := parseCertificate([]byte(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestCancelNotice(t *testing.T) {
	got := string(cancelNotice("MX-COO-1", "error en la fracción"))
	if got != "CANCELADO|MX-COO-1|error en la fracción" || json.Valid([]byte(got)) {
		t.Fatalf("notice %q", got)
	}
	if !strings.HasPrefix(got, Cancelado+"|") {
		t.Fatal(got)
	}
}
