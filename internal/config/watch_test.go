package config_test

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ledgergate/ledgergate/internal/config"
)

const fabricSource = `
accounts:
  - {id: aguacates, role: partner, issuer: "did:web:aguacates-mich.example"}
sources:
  - name: aguacates-origin
    kind: fabric
    partner: aguacates
    peer: 127.0.0.1:17051
    tlsCACert: fabric/tls-ca.pem
    serverName: peer0.customs.example.com
    mspId: CustomsMSP
    certFile: fabric/cert.pem
    keyFile: /etc/ledgergate/key.pem
    channel: customs
    chaincode: originreg
    event: OriginCertified
    events: [OriginCancelled, OriginCertified]
    fromBlock: 42
    mappingFile: mappings/originreg.jq
`

func TestFabricSource(t *testing.T) {
	p := write(t, fabricSource)
	c, err := config.Load(p)
	if err != nil {
		t.Fatal(err)
	}
	c.Defaults()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	s := c.Sources[0]
	dir := filepath.Dir(p)
	if s.Kind != "fabric" || s.Peer != "127.0.0.1:17051" || s.MSPID != "CustomsMSP" || s.Channel != "customs" || s.Chaincode != "originreg" ||
		s.FromBlock != 42 || s.ServerName != "peer0.customs.example.com" {
		t.Fatalf("source %+v", s)
	}
	// Paths are relative to the configuration file.
	if s.TLSCACert != filepath.Join(dir, "fabric/tls-ca.pem") || s.CertFile != filepath.Join(dir, "fabric/cert.pem") ||
		s.KeyFile != "/etc/ledgergate/key.pem" || s.MappingFile != filepath.Join(dir, "mappings/originreg.jq") {
		t.Fatalf("paths %+v", s)
	}
	if got := s.EventNames(); !slices.Equal(got, []string{"OriginCertified", "OriginCancelled"}) {
		t.Fatalf("event names %v", got)
	}
	if got := (config.Source{Kind: "fabric"}).EventNames(); len(got) != 0 {
		t.Fatalf("no filter: %v", got)
	}
}

func TestFabricSourceProblems(t *testing.T) {
	c, err := config.Load(write(t, `
accounts:
  - {id: aguacates, role: partner, issuer: "did:web:aguacates-mich.example"}
sources:
  - {name: a, kind: fabric, partner: aguacates, mapping: "{}", events: [""]}
  - {name: b, kind: ethereum, partner: aguacates, mapping: "{}", rpc: "http://x", contract: "0x01", abi: x.abi, event: E, events: [F]}
  - {name: c, kind: hyperledger, partner: aguacates, mapping: "{}"}
`))
	if err != nil {
		t.Fatal(err)
	}
	c.Defaults()
	err = c.Validate()
	if !errors.Is(err, config.ErrInvalid) {
		t.Fatalf("Validate = %v", err)
	}
	for _, want := range []string{
		"sources[0] (a): peer is required for a fabric source", "tlsCACert is required", "mspId is required", "certFile is required",
		"keyFile is required", "channel is required", "chaincode is required", "sources[0] (a): events: empty event name",
		"sources[1] (b): events (several event names) is for fabric sources", `sources[2] (c): kind "hyperledger": want ethereum, factom or fabric`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
}
