package schema_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ledgergate/ledgergate/schema"
)

const phytoSchema = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://schemas.agency.example/phytosanitary-certificate.json",
  "x-schemaVersion": "1.2",
  "description": "Plant health certificate (deployment-specific type).",
  "type": "object",
  "properties": {
    "type": { "const": "PhytosanitaryCertificate" },
    "certificateNumber": { "type": "string", "minLength": 3 },
    "exporterGln": { "$ref": "https://schemas.ledgergate.org/v1/common.json#/$defs/gln" },
    "treatment": { "type": "string", "enum": ["fumigation", "heat", "none"] }
  },
  "required": ["certificateNumber", "exporterGln"]
}`

const phytoRecord = `{
  "id": "urn:uuid:5e1a0a4c-9f3b-4d2e-8c1a-7b6d5e4f3a21",
  "type": "PhytosanitaryCertificate",
  "schemaVersion": "1.1",
  "issuer": { "id": "did:web:plant-health.example", "role": "exporter" },
  "issuedAt": "2026-09-01T10:00:00Z",
  "validFrom": "2026-09-01T10:00:00Z",
  "certificateNumber": "PC-2026-001",
  "exporterGln": "0614141000005",
  "treatment": "heat"
}`

func customRegistry(t *testing.T) *schema.Registry {
	t.Helper()
	reg, err := schema.NewRegistry()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "phyto.json")
	if err := os.WriteFile(path, []byte(phytoSchema), 0o644); err != nil {
		t.Fatal(err)
	}
	info, err := reg.RegisterFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Name != "PhytosanitaryCertificate" || info.Version != "1.2" || info.Builtin {
		t.Fatalf("RegisterFile = %+v", info)
	}
	return reg
}

func TestCustomTypeValidatesWithEnvelopeRules(t *testing.T) {
	reg := customRegistry(t)
	rec, err := reg.Validate([]byte(phytoRecord))
	if err != nil {
		t.Fatalf("valid custom record refused: %v", err)
	}
	if rec.Type != "PhytosanitaryCertificate" || !strings.HasPrefix(string(rec.Digest), "sha256:") {
		t.Fatalf("record = %+v", rec)
	}
	// The same record through the built-in-only default registry is unknown.
	if _, err := schema.Default().Validate([]byte(phytoRecord)); !errors.Is(err, schema.ErrUnknownType) || !errors.Is(err, schema.ErrInvalid) {
		t.Fatalf("default registry: %v, want ErrUnknownType (and ErrInvalid)", err)
	}

	bad := applyOps(t, []byte(phytoRecord),
		set("/exporterGln", "0614141000006"),                // the custom schema's $ref to a built-in format
		set("/validUntil", "2026-08-01T00:00:00Z"),          // envelope cross-field rule
		set("/smuggled", true),                              // unknown field
		del("/issuer"),                                      // envelope requirement
		set("/schemaVersion", "1.3"),                        // newer than the registered 1.2
		set("/extensions", raw(`{"agency.example:lot":1}`)), // allowed
	)
	_, err = reg.Validate(bad)
	var ve *schema.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want a ValidationError, got %v", err)
	}
	var rules []string
	for _, v := range ve.Violations {
		rules = append(rules, v.Pointer+" "+v.Rule)
	}
	for _, want := range []string{"/exporterGln format.gln", "/validUntil envelope.validity-order", "/smuggled schema.unknown-field", "/issuer schema.required", "/schemaVersion envelope.schema-version"} {
		if !slices.Contains(rules, want) {
			t.Errorf("missing %q in %v", want, rules)
		}
	}
	if len(rules) != 5 {
		t.Errorf("got %d violations, want 5: %v", len(rules), rules)
	}
}

func TestRegisterRefusesBadSchemas(t *testing.T) {
	reg, err := schema.NewRegistry()
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"no type const":   `{"type":"object"}`,
		"bad type name":   `{"properties":{"type":{"const":"lower"}}}`,
		"built-in name":   `{"properties":{"type":{"const":"CertificateOfOrigin"}}}`,
		"built-in $id":    `{"$id":"https://schemas.ledgergate.org/v1/x.json","properties":{"type":{"const":"Xy"}}}`,
		"remote $ref":     `{"properties":{"type":{"const":"Remote"},"x":{"$ref":"https://evil.example/s.json"}}}`,
		"not json":        `{"properties":`,
		"duplicate keys":  `{"properties":{"type":{"const":"A1"}},"properties":{}}`,
		"bad version":     `{"x-schemaVersion":"2.0","properties":{"type":{"const":"Vv"}}}`,
		"invalid keyword": `{"properties":{"type":{"const":"Kw"}},"minLength":"three"}`,
	}
	for name, s := range cases {
		if _, err := reg.Register([]byte(s)); err == nil {
			t.Errorf("%s: Register accepted %s", name, s)
		}
	}
	if _, err := reg.RegisterFile(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("RegisterFile accepted a missing file")
	}
	// Nothing half-registered.
	for _, ti := range reg.Types() {
		if !ti.Builtin {
			t.Errorf("a refused schema left type %s registered", ti.Name)
		}
	}
}

func TestExportWritesEverySchema(t *testing.T) {
	reg := customRegistry(t)
	dir := t.TempDir()
	names, err := reg.Export(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"codes.json", "common.json", "envelope.json", "certificate-of-origin.json", "phytosanitary-certificate.json"} {
		if !slices.Contains(names, want) {
			t.Errorf("Export wrote %v, missing %s", names, want)
		}
		if _, err := os.Stat(filepath.Join(dir, want)); err != nil {
			t.Error(err)
		}
	}
	// An exported type schema compiles again in a fresh registry when
	// registered as a custom type under another name.
	b, _ := os.ReadFile(filepath.Join(dir, "phytosanitary-certificate.json"))
	reg2, _ := schema.NewRegistry()
	if _, err := reg2.Register(b); err != nil {
		t.Fatalf("re-register exported schema: %v", err)
	}
}

func TestTypesListsBuiltins(t *testing.T) {
	var names []string
	for _, ti := range schema.Default().Types() {
		names = append(names, ti.Name)
		if ti.Version != "1.0" || !ti.Builtin || ti.Description == "" {
			t.Errorf("type %+v", ti)
		}
	}
	want := []string{"AssetEvent", "BillOfLading", "CertificateOfOrigin", "CommercialInvoice", "IPRLicense", "IPRRight", "PostalItemEvent", "SensorReading"}
	if !slices.Equal(names, want) {
		t.Fatalf("Types = %v, want %v", names, want)
	}
}

func TestSizeLimitIsConfigurable(t *testing.T) {
	reg, err := schema.NewRegistry(schema.WithMaxSize(100))
	if err != nil {
		t.Fatal(err)
	}
	data, _ := schema.ExampleOf(schema.TypeSensorReading, "minimal")
	_, err = reg.Validate(data)
	if !errors.Is(err, schema.ErrTooLarge) {
		t.Fatalf("Validate(%d bytes) with a 100-byte limit = %v, want ErrTooLarge", len(data), err)
	}
	if _, err := schema.NewRegistry(schema.WithMaxSize(0)); err == nil {
		t.Fatal("NewRegistry accepted a zero size limit")
	}
}

func TestMalformedInputMessages(t *testing.T) {
	cases := []struct{ in, ptr, rule, msg string }{
		{"{\n  \"id\": \"a\",\n  \"x\": tru\n}", "/x", "input.syntax", "line 3, column 8"},
		{`{"a":[1,2,}`, "/a/2", "input.syntax", "unexpected character"},
		{`{"a":"b` + "\n" + `"}`, "/a", "input.syntax", "control character"},
		{`{"a":01}`, "/a", "input.syntax", "leading zero"},
		{`{"a":"\x"}`, "/a", "input.syntax", "invalid escape"},
		{``, "", "input.syntax", "unexpected end of input"},
		{`{"a":9007199254740993}`, "/a", "input.number-range", "beyond ±(2^53-1)"},
		{`{"a":-1e309}`, "/a", "input.number-range", "outside the range"},
		{`{"k":1,"k":1}`, "/k", "input.duplicate-key", `duplicate object key "k"`},
	}
	for _, tc := range cases {
		_, err := schema.Default().Validate([]byte(tc.in))
		var ve *schema.ValidationError
		if !errors.As(err, &ve) || !errors.Is(err, schema.ErrMalformed) || len(ve.Violations) != 1 {
			t.Errorf("%q: %v, want one ErrMalformed violation", tc.in, err)
			continue
		}
		v := ve.Violations[0]
		if v.Pointer != tc.ptr || v.Rule != tc.rule || !strings.Contains(v.Message, tc.msg) {
			t.Errorf("%q: got %s %s %q; want %s %s containing %q", tc.in, v.Pointer, v.Rule, v.Message, tc.ptr, tc.rule, tc.msg)
		}
	}
}
