package main

import (
	"strings"
	"testing"
)

// TestConfigCheckFabricSource: `config check` accepts a fabric source and
// reports what a broken one lacks.
func TestConfigCheckFabricSource(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.yaml", `
accounts:
  - {id: aguacates, role: partner, issuer: "did:web:aguacates-mich.example"}
sources:
  - name: aguacates-origin
    kind: fabric
    partner: aguacates
    peer: 127.0.0.1:17051
    tlsCACert: tls-ca.pem
    mspId: CustomsMSP
    certFile: cert.pem
    keyFile: key.pem
    channel: customs
    chaincode: originreg
    events: [OriginCertified, OriginCancelled]
    mapping: '{type: "CertificateOfOrigin"}'
`)
	if code, out, errOut := runCLI(t, "", "--config", good, "config", "check"); code != exitOK || !strings.Contains(out, "1 sources") {
		t.Fatalf("good config: exit %d\n%s%s", code, out, errOut)
	}
	bad := writeFile(t, dir, "bad.yaml", `
accounts:
  - {id: aguacates, role: partner, issuer: "did:web:aguacates-mich.example"}
sources:
  - {name: aguacates-origin, kind: fabric, partner: aguacates, peer: 127.0.0.1:17051, mapping: "{}"}
`)
	code, _, errOut := runCLI(t, "", "--config", bad, "config", "check")
	if code != exitInvalid || !strings.Contains(errOut, "channel is required for a fabric source") || !strings.Contains(errOut, "keyFile is required") {
		t.Fatalf("bad config: exit %d\n%s", code, errOut)
	}
}
