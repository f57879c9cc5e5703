package watch

import (
	"errors"
	"testing"

	"github.com/hyperledger/fabric-gateway/pkg/client"

	"github.com/ledgergate/ledgergate/adapters/fabric"
)

// TestFabricNative covers how a chaincode event becomes a Native: its
// JSON payload decoded, provenance and checkpoint; a payload that is not
// JSON an error with the payload kept for the dead letter. (Streaming from
// a real network: e2e_test.go.)
func TestFabricNative(t *testing.T) {
	s := &FabricSource{name: "aguacates-origin", channel: "customs", chaincode: "originreg"}
	tx := "5b3d2f0c8a4e9b1d7c6f5e4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c"
	ev := func(name, payload string) fabric.ChaincodeEvent {
		return fabric.ChaincodeEvent{ChaincodeEvent: &client.ChaincodeEvent{BlockNumber: 12, TransactionID: tx, ChaincodeName: "originreg",
			EventName: name, Payload: []byte(payload)}, Checkpoint: "fabric1:12:" + "x"}
	}
	n := s.native(ev("OriginCertified", `{"certNo":"MX-1","goods":[{"fraccion":"08044001"}]}`))
	if n.Err != nil || n.Key != tx || n.Checkpoint != "fabric1:12:x" {
		t.Fatalf("native %+v", n)
	}
	want := Provenance{Source: "aguacates-origin", Ledger: "fabric", Channel: "customs", Chaincode: "originreg", Event: "OriginCertified", TxID: tx, Block: 12}
	if n.Provenance != want {
		t.Fatalf("provenance %+v, want %+v", n.Provenance, want)
	}
	if p, ok := n.Payload.(map[string]any); !ok || p["certNo"] != "MX-1" {
		t.Fatalf("payload %#v", n.Payload)
	}
	for payload, raw := range map[string]string{
		"CANCELADO|MX-1|error": "CANCELADO|MX-1|error",
		"":                     "",
		"\xff\x00":             "0xff00",
	} {
		n := s.native(ev("OriginCancelled", payload))
		if !errors.Is(n.Err, ErrNotJSON) || n.Payload != nil || n.Raw.(map[string]any)["payload"] != raw || n.Provenance.Event != "OriginCancelled" {
			t.Errorf("%q: native %+v", payload, n)
		}
	}
}
