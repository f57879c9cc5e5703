package reconcile_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ledgergate/ledgergate/gateway/reconcile"
)

func TestLegacyCSVAndJSON(t *testing.T) {
	g, _ := memoryGateway(t)
	a, b, c := sensor(t, "", "100", ""), sensor(t, "", "200", ""), sensor(t, "", "300", "")
	g.submit(t, a)
	g.submit(t, b)
	g.submit(t, c)
	g.relay(t)
	dir := t.TempDir()
	mapping := filepath.Join(dir, "map.yaml")
	os.WriteFile(mapping, []byte(`name: acs
id: entry
idPrefix: "urn:uuid:"
type: SensorReading
columns:
  reading: /value
  kind: /sensorType
  country: /location/countryCode
`), 0o600)
	m, err := reconcile.LoadMapping(mapping)
	if err != nil {
		t.Fatal(err)
	}
	strip := func(id string) string { return strings.TrimPrefix(id, "urn:uuid:") }
	csvData := "entry,reading,kind,country\n" +
		strip(a.ID) + ",100,radiation,US\n" + // same
		strip(b.ID) + ",250,radiation,MX\n" + // value and country differ
		"00000000-0000-4000-8000-000000000000,1,radiation,US\n" // not in the gateway
	rows, err := reconcile.ReadLegacy(strings.NewReader(csvData), "export.csv", m)
	if err != nil || len(rows) != 3 {
		t.Fatalf("read: %v, %d rows", err, len(rows))
	}
	rep, err := g.engine.CompareLegacy(context.Background(), rows, m, reconcile.LegacyOptions{Ledgers: true, MissingFromExport: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Mode != "legacy:acs" {
		t.Fatalf("mode %q", rep.Mode)
	}
	fb := findings(rep, b.ID)
	gw := fb["gateway"]
	if gw.Verdict != reconcile.Divergent || fieldPointers(gw)["/value"] != [2]string{`"250"`, `"200"`} || fieldPointers(gw)["/location/countryCode"] != [2]string{`"MX"`, `"US"`} || len(gw.Fields) != 2 {
		t.Fatalf("b vs gateway: %+v", gw)
	}
	if f := fb["full"]; f.Verdict != reconcile.Divergent || len(f.Fields) != 2 {
		t.Fatalf("b vs full ledger: %+v", f)
	}
	if f := fb["redacted"]; f.Verdict != reconcile.Consistent && len(f.Fields) != 0 {
		t.Fatalf("b vs redacted ledger (holds only sensorType, which agrees): %+v", f)
	}
	if len(findings(rep, a.ID)) != 0 {
		t.Fatalf("a agrees: %+v", findings(rep, a.ID))
	}
	if f := findings(rep, "urn:uuid:00000000-0000-4000-8000-000000000000")["gateway"]; f.Verdict != reconcile.Missing {
		t.Fatalf("unknown id: %+v", f)
	}
	if f := findings(rep, c.ID)["gateway"]; f.Verdict != reconcile.Missing || !strings.Contains(f.Reason, "not in the acs export") {
		t.Fatalf("c missing from the export: %+v", f)
	}

	// The same in JSON, with a number where the record has a string.
	jsonData := `[{"entry":"` + strip(a.ID) + `","reading":100,"kind":"radiation","country":"US"},
	              {"entry":"` + strip(b.ID) + `","reading":200,"kind":"neutron","country":"US"}]`
	rows, err = reconcile.ReadLegacy(strings.NewReader(jsonData), "export.json", m)
	if err != nil {
		t.Fatal(err)
	}
	rep, err = g.engine.CompareLegacy(context.Background(), rows, m, reconcile.LegacyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || fieldPointers(rep.Findings[0])["/sensorType"] != [2]string{`"neutron"`, `"radiation"`} {
		t.Fatalf("json: %+v", rep.Findings)
	}

	// Bad mappings are refused with every problem.
	os.WriteFile(mapping, []byte("columns: {x: value}\nformat: xml\n"), 0o600)
	if _, err := reconcile.LoadMapping(mapping); err == nil || !strings.Contains(err.Error(), "id") || !strings.Contains(err.Error(), "JSON pointer") || !strings.Contains(err.Error(), "xml") {
		t.Fatalf("bad mapping: %v", err)
	}
}
