package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ledgergate/ledgergate/schema"
)

func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestValidateExitCodes(t *testing.T) {
	dir := t.TempDir()
	good, _ := schema.ExampleOf(schema.TypeBillOfLading, "minimal")
	goodPath := writeFile(t, dir, "good.json", string(good))
	badPath := writeFile(t, dir, "bad.json", strings.Replace(string(good), `"OCLN"`, `"ocln"`, 1))

	if code, out, _ := runCLI(t, "", "schema", "validate", goodPath); code != 0 || !strings.Contains(out, "ok    "+goodPath) {
		t.Fatalf("valid file: exit %d\n%s", code, out)
	}
	code, out, _ := runCLI(t, "", "schema", "validate", goodPath, badPath)
	if code != 1 || !strings.Contains(out, "/carrier/scac") || !strings.Contains(out, "[format.scac]") || !strings.Contains(out, "1 valid, 1 invalid") {
		t.Fatalf("one invalid file: exit %d\n%s", code, out)
	}
	if code, _, errOut := runCLI(t, "", "schema", "validate"); code != 2 || !strings.Contains(errOut, "needs FILE") {
		t.Fatalf("no args: exit %d, %s", code, errOut)
	}
	if code, _, _ := runCLI(t, "", "schema", "validate", "--nope", goodPath); code != 2 {
		t.Fatalf("bad flag: exit %d", code)
	}
	if code, _, errOut := runCLI(t, "", "schema", "validate", filepath.Join(dir, "missing.json")); code != 2 || !strings.Contains(errOut, "missing.json") {
		t.Fatalf("missing file: exit %d, %s", code, errOut)
	}
	if code, _, _ := runCLI(t, "", "frobnicate"); code != 2 {
		t.Fatalf("unknown command: exit %d", code)
	}
	// Standard input.
	if code, out, _ := runCLI(t, string(good), "schema", "validate", "-"); code != 0 || !strings.Contains(out, "ok    -") {
		t.Fatalf("stdin: exit %d\n%s", code, out)
	}
	if code, _, _ := runCLI(t, "", "schema", "validate", "--examples"); code != 0 {
		t.Fatalf("--examples: exit %d", code)
	}
}

func TestValidateJSON(t *testing.T) {
	dir := t.TempDir()
	badPath := writeFile(t, dir, "bad.json", `{"id":"urn:uuid:x","type":"Nope"}`)
	code, out, _ := runCLI(t, "", "schema", "validate", "--json", badPath)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	var res struct {
		Valid bool `json:"valid"`
		Files []struct {
			File       string             `json:"file"`
			Valid      bool               `json:"valid"`
			Error      string             `json:"error"`
			Violations []schema.Violation `json:"violations"`
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("--json output is not JSON: %v\n%s", err, out)
	}
	if res.Valid || len(res.Files) != 1 || res.Files[0].Valid || res.Files[0].Error != schema.ErrUnknownType.Error() {
		t.Fatalf("unexpected result: %+v", res)
	}
	found := false
	for _, v := range res.Files[0].Violations {
		found = found || (v.Pointer == "/type" && v.Rule == "envelope.type-unknown")
	}
	if !found {
		t.Fatalf("no envelope.type-unknown violation at /type: %+v", res.Files[0].Violations)
	}
}

func TestOversizedInputRefused(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "big.json", `{"pad":"`+strings.Repeat("x", 2000)+`"}`)
	code, out, _ := runCLI(t, "", "--max-size", "1000", "schema", "validate", p)
	if code != 1 || !strings.Contains(out, "input.too-large") {
		t.Fatalf("exit %d\n%s", code, out)
	}
}

const customSchema = `{"properties":{"type":{"const":"PortCall"},"vessel":{"type":"string"}},"required":["vessel"]}`

func customRecord(vessel string) string {
	return `{"id":"urn:uuid:5e1a0a4c-9f3b-4d2e-8c1a-7b6d5e4f3a22","type":"PortCall","schemaVersion":"1.0",
	"issuer":{"id":"did:web:port.example","role":"carrier"},"issuedAt":"2026-01-01T00:00:00Z","validFrom":"2026-01-01T00:00:00Z","vessel":` + vessel + `}`
}

func TestCustomTypesFromConfigFlagAndEnv(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "port-call.json", customSchema)
	cfg := writeFile(t, dir, "ledgergate.yaml", "schema:\n  types:\n    - port-call.json\n")
	rec := writeFile(t, dir, "rec.json", customRecord(`"EVER GIVEN"`))
	bad := writeFile(t, dir, "bad.json", customRecord(`42`))

	if code, out, _ := runCLI(t, "", "schema", "validate", rec); code != 1 || !strings.Contains(out, "envelope.type-unknown") {
		t.Fatalf("without the custom type: exit %d\n%s", code, out)
	}
	if code, out, errOut := runCLI(t, "", "--config", cfg, "schema", "validate", rec); code != 0 {
		t.Fatalf("--config: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, _ := runCLI(t, "", "--type-schema", filepath.Join(dir, "port-call.json"), "schema", "validate", bad); code != 1 || !strings.Contains(out, "/vessel") {
		t.Fatalf("--type-schema with a bad record: exit %d\n%s", code, out)
	}
	getenv = func(k string) string {
		if k == "LEDGERGATE_SCHEMA_TYPES" {
			return filepath.Join(dir, "port-call.json")
		}
		return ""
	}
	defer func() { getenv = os.Getenv }()
	if code, out, _ := runCLI(t, "", "schema", "list"); code != 0 || !strings.Contains(out, "PortCall") || !strings.Contains(out, "custom") {
		t.Fatalf("env override: exit %d\n%s", code, out)
	}
	badCfg := writeFile(t, dir, "bad.yaml", "schema:\n  typos: []\n")
	if code, _, errOut := runCLI(t, "", "--config", badCfg, "schema", "list"); code != 2 || !strings.Contains(errOut, "typos") {
		t.Fatalf("unknown config key: exit %d, %s", code, errOut)
	}
}

func TestDigestMatchesLibrary(t *testing.T) {
	data, _ := schema.ExampleOf(schema.TypeCertificateOfOrigin, "complete")
	rec, err := schema.Default().Validate(data)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p := writeFile(t, dir, "coo.json", string(data))
	code, out, _ := runCLI(t, "", "schema", "digest", p)
	if code != 0 || strings.TrimSpace(out) != string(rec.Digest) {
		t.Fatalf("digest: exit %d %q, want %s", code, out, rec.Digest)
	}
	code, out, _ = runCLI(t, `{"b":1, "a":[true]}`, "schema", "digest", "--raw", "--canonical", "-")
	if code != 0 || !strings.HasPrefix(out, `{"a":[true],"b":1}`+"\n") {
		t.Fatalf("raw digest: exit %d %q", code, out)
	}
	if code, _, _ := runCLI(t, `{"a":1,"a":2}`, "schema", "digest", "--raw", "-"); code != 1 {
		t.Fatalf("duplicate keys: exit %d", code)
	}
}

func TestExportAndList(t *testing.T) {
	dir := t.TempDir()
	code, out, _ := runCLI(t, "", "schema", "export", dir)
	if code != 0 || !strings.Contains(out, "wrote 11 schema files and 16 examples") {
		t.Fatalf("export: exit %d %s", code, out)
	}
	// The exported examples validate through the CLI.
	matches, _ := filepath.Glob(filepath.Join(dir, "examples", "*.json"))
	if code, out, _ := runCLI(t, "", append([]string{"schema", "validate"}, matches...)...); code != 0 || len(matches) != 16 {
		t.Fatalf("validate exported examples: exit %d (%d files)\n%s", code, len(matches), out)
	}
	code, out, _ = runCLI(t, "", "schema", "list", "--json")
	var types []schema.TypeInfo
	if code != 0 || json.Unmarshal([]byte(out), &types) != nil || len(types) != 8 {
		t.Fatalf("list --json: exit %d %s", code, out)
	}
	if code, out, _ := runCLI(t, "", "schema", "rules"); code != 0 || !strings.Contains(out, "coo.blanket-period.max-12-months") {
		t.Fatalf("rules: exit %d", code)
	}
}
