package server

import (
	"context"
	"strings"
	"testing"

	"github.com/ledgergate/ledgergate/internal/config"
)

// TestOpenFabricSourceErrors: a fabric source whose identity or mapping
// cannot be loaded fails the gateway's start with an error naming the
// source and the cause. (A working one: gateway/watch's Fabric e2e test.)
func TestOpenFabricSourceErrors(t *testing.T) {
	dir := t.TempDir()
	src := config.Source{Name: "aguacates-origin", Kind: "fabric", Partner: "aguacates", Mapping: "{}", Peer: "127.0.0.1:1",
		TLSCACert: dir + "/ca.pem", MSPID: "CustomsMSP", CertFile: dir + "/missing-cert.pem", KeyFile: dir + "/key.pem",
		Channel: "customs", Chaincode: "originreg"}
	g := &Gateway{}
	_, err := g.openSource(context.Background(), src)
	if err == nil || !strings.Contains(err.Error(), "source aguacates-origin: fabric: identity certificate") || !strings.Contains(err.Error(), "missing-cert.pem") {
		t.Fatalf("missing certificate: %v", err)
	}
	src.Mapping = "{"
	if _, err := g.openSource(context.Background(), src); err == nil || !strings.Contains(err.Error(), "source aguacates-origin: mapping") {
		t.Fatalf("bad mapping: %v", err)
	}
	if len(g.closers) != 0 {
		t.Fatalf("%d closers registered for sources that did not open", len(g.closers))
	}
}
